import { Hono } from 'hono';
import { AppError, isRecord } from '../errors';
import { secretsEqual } from '../lib/crypto';
import { readJson } from '../lib/read-json';
import {
  CSRF_HEADER,
  fromOwnPages,
  isHttps,
  issueSession,
  SESSION_TTL_MS,
  sessionCookie,
} from '../middleware/session';
import type { Services } from '../services';

/**
 * The UI's session: `POST /ui/login` `{key}` sets the cookie and answers the
 * CSRF token, `POST /ui/logout` ends the session on the server and clears
 * the cookie, `POST /ui/logout-everywhere` ends every session, `GET
 * /ui/session` says whether the cookie is valid (and gives the CSRF token
 * again after a reload).
 */
export function sessionRoutes(services: Services): Hono {
  const { clock, adminAccess: access } = services;
  const app = new Hono();
  const ownPagesOnly = (c: Parameters<typeof fromOwnPages>[0]) => {
    if (!fromOwnPages(c)) throw new AppError(403, 'Cross-site request refused', 'cross_site_request');
  };
  const clearCookie = (c: Parameters<typeof fromOwnPages>[0]) => {
    const secure = isHttps(c.req.url, c.req.header('x-forwarded-proto'));
    c.header('set-cookie', sessionCookie('', 0, secure));
  };

  app.get('/session', async (c) => {
    const session = await access.session(c);
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
    const key = access.key();
    ownPagesOnly(c);
    const { json } = await readJson(c, { maxBytes: 4096 });
    const given = isRecord(json) && typeof json.key === 'string' ? json.key.trim() : '';
    if (!(await access.admits(c, given))) throw new AppError(401, 'Wrong admin key', 'wrong_admin_key');
    const session = await issueSession(key, clock.now(), await access.sessions.epoch());
    const secure = isHttps(c.req.url, c.req.header('x-forwarded-proto'));
    c.header('set-cookie', sessionCookie(session.token, SESSION_TTL_MS / 1000, secure));
    c.header('cache-control', 'no-store');
    return c.json({
      authenticated: true,
      csrf: session.csrf,
      expires_at: new Date(session.expiresAt).toISOString(),
    });
  });

  // Ends this session on the server: the cookie stops working even if a copy of it was kept.
  app.post('/logout', async (c) => {
    ownPagesOnly(c);
    const session = await access.session(c);
    if (session) await access.sessions.end(session);
    clearCookie(c);
    return c.body(null, 204);
  });

  // Ends every session, this one included: for a lost laptop or a leaked cookie. Needs a session
  // and its CSRF token, so another site cannot sign the admin out.
  app.post('/logout-everywhere', async (c) => {
    ownPagesOnly(c);
    const session = await access.session(c);
    if (!session) throw new AppError(401, 'Not signed in', 'unauthorized');
    if (!(await secretsEqual(c.req.header(CSRF_HEADER) ?? '', session.csrf))) {
      throw new AppError(403, 'Missing or wrong CSRF token; reload the page', 'csrf_token_invalid');
    }
    await access.sessions.endAll();
    clearCookie(c);
    return c.body(null, 204);
  });

  return app;
}
