import type { Context } from 'hono';
import { AppError } from '../../errors';
import { secretsEqual } from '../../lib/crypto';
import type { AdminAccess } from '../admin-auth/admin-access';
import { isSameOrigin } from './same-origin';

export { isHttps, readCookie, SESSION_COOKIE, sessionCookie } from './cookie';
export { LoginThrottle } from './login-throttle';
export { isSameOrigin } from './same-origin';
export { SessionBook } from './session-book';
export { issueSession, SESSION_TTL_MS, type Session, verifySession } from './session-token';

/** The header that carries the CSRF token on state-changing calls made with the cookie. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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
export function sessionAlternative(access: AdminAccess) {
  return async (c: Context): Promise<boolean> => {
    const session = await access.session(c);
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
