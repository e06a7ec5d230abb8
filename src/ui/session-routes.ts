import { Hono } from 'hono';
import { AppError, isRecord } from '../errors';
import { secretsEqual } from '../lib/crypto';
import { readJson } from '../lib/read-json';
import { authKeyMissing } from '../middleware/admin-auth';
import {
  fromOwnPages,
  isHttps,
  issueSession,
  LoginThrottle,
  SESSION_TTL_MS,
  sessionCookie,
  sessionOf,
} from '../middleware/session';
import type { Services } from '../services';

/**
 * The UI's session: `POST /ui/login` `{key}` sets the cookie and answers the
 * CSRF token, `POST /ui/logout` clears it, `GET /ui/session` says whether the
 * cookie is valid (and gives the CSRF token again after a reload).
 */
export function sessionRoutes(services: Services): Hono {
  const { config, clock } = services;
  const throttle = new LoginThrottle();
  const app = new Hono();
  const authKey = () => {
    if (!config.authKey) throw authKeyMissing();
    return config.authKey;
  };
  const ownPagesOnly = (c: Parameters<typeof fromOwnPages>[0]) => {
    if (!fromOwnPages(c)) throw new AppError(403, 'Cross-site request refused', 'cross_site_request');
  };

  app.get('/session', async (c) => {
    const session = await sessionOf(c, authKey(), clock.now());
    c.header('cache-control', 'no-store');
    if (!session) return c.json({ authenticated: false, runtime: services.deps.runtime });
    return c.json({
      authenticated: true,
      runtime: services.deps.runtime,
      csrf: session.csrf,
      expires_at: new Date(session.expiresAt).toISOString(),
    });
  });

  app.post('/login', async (c) => {
    const key = authKey();
    ownPagesOnly(c);
    const { json } = await readJson(c, { maxBytes: 4096 });
    const given = isRecord(json) && typeof json.key === 'string' ? json.key.trim() : '';
    const client = services.deps.clientAddress(c);
    const waitMs = throttle.begin(client, clock.now());
    if (waitMs !== null) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new AppError(
        429,
        `Too many failed logins; try again in ${seconds} s`,
        'login_throttled',
        undefined,
        { 'retry-after': String(seconds) },
        { retry_after: seconds },
      );
    }
    if (!given || !(await secretsEqual(given, key))) {
      throw new AppError(401, 'Wrong admin key', 'wrong_admin_key');
    }
    throttle.succeeded(client);
    const session = await issueSession(key, clock.now());
    const secure = isHttps(c.req.url, c.req.header('x-forwarded-proto'));
    c.header('set-cookie', sessionCookie(session.token, SESSION_TTL_MS / 1000, secure));
    c.header('cache-control', 'no-store');
    return c.json({
      authenticated: true,
      csrf: session.csrf,
      expires_at: new Date(session.expiresAt).toISOString(),
    });
  });

  app.post('/logout', (c) => {
    ownPagesOnly(c);
    const secure = isHttps(c.req.url, c.req.header('x-forwarded-proto'));
    c.header('set-cookie', sessionCookie('', 0, secure));
    return c.body(null, 204);
  });

  return app;
}
