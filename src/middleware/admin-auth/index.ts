import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../errors';
import { bearerToken } from '../../lib/bearer';
import { secretsEqual } from '../../lib/crypto';

/** Options of {@link adminAuth}. */
export interface AdminAuthOptions {
  /** The admin key, or null when none is set (Workers without the secret). */
  authKey: () => string | null;
  /** Other ways in (the UI's session cookie); true lets the request through. */
  alternatives?: Array<(c: Parameters<MiddlewareHandler>[0]) => Promise<boolean>>;
}

/** The 503 of the admin API and UI when no admin key is set (Workers without the secret). */
export function authKeyMissing(): AppError {
  return new AppError(
    503,
    'AUTH_KEY is not set. Set it with `npx wrangler secret put AUTH_KEY` (or `--var AUTH_KEY:...` for `wrangler dev`), then reload.',
    'auth_key_missing',
  );
}

/** The admin key, as `Authorization: Bearer <AUTH_KEY>`, compared in constant time. */
export function adminAuth(options: AdminAuthOptions): MiddlewareHandler {
  return async (c, next) => {
    const authKey = options.authKey();
    if (!authKey) throw authKeyMissing();
    const bearer = bearerToken(c.req.header('authorization'));
    if (bearer && (await secretsEqual(bearer, authKey))) return next();
    for (const alternative of options.alternatives ?? []) if (await alternative(c)) return next();
    throw new AppError(
      401,
      'Admin authentication required: Authorization: Bearer <AUTH_KEY>',
      'unauthorized',
      undefined,
      {
        'www-authenticate': 'Bearer',
      },
    );
  };
}
