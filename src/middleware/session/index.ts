import type { Context } from 'hono';
import { AppError } from '../../errors';
import { secretsEqual } from '../../lib/crypto';
import { readCookie, SESSION_COOKIE } from './cookie';
import { isSameOrigin } from './same-origin';
import { type Session, verifySession } from './session-token';

export { isHttps, readCookie, SESSION_COOKIE, sessionCookie } from './cookie';
export { LoginThrottle } from './login-throttle';
export { isSameOrigin } from './same-origin';
export { issueSession, SESSION_TTL_MS, type Session, verifySession } from './session-token';

/** The header that carries the CSRF token on state-changing calls made with the cookie. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The valid session of a request's cookie, or null. */
export async function sessionOf(c: Context, authKey: string, now: number): Promise<Session | null> {
  const token = readCookie(c.req.header('cookie'), SESSION_COOKIE);
  return token ? verifySession(authKey, token, now) : null;
}

/** Whether a request comes from our own pages (see {@link isSameOrigin}). */
export function fromOwnPages(c: Context): boolean {
  return isSameOrigin(c.req.url, {
    origin: c.req.header('origin'),
    secFetchSite: c.req.header('sec-fetch-site'),
    host: c.req.header('host'),
  });
}

/**
 * An `adminAuth` alternative: the UI's session cookie. Reading needs only the
 * cookie; a state-changing call also needs to come from our own origin and to
 * carry the session's CSRF token in `X-CSRF-Token` (403 otherwise).
 */
export function sessionAlternative(options: { authKey: () => string | null; now: () => number }) {
  return async (c: Context): Promise<boolean> => {
    const authKey = options.authKey();
    if (!authKey) return false;
    const session = await sessionOf(c, authKey, options.now());
    if (!session) return false;
    if (SAFE_METHODS.has(c.req.method)) return true;
    if (!fromOwnPages(c)) {
      throw new AppError(403, 'Cross-site request refused', 'cross_site_request');
    }
    if (!(await secretsEqual(c.req.header(CSRF_HEADER) ?? '', session.csrf))) {
      throw new AppError(403, 'Missing or wrong CSRF token; reload the page', 'csrf_token_invalid');
    }
    return true;
  };
}
