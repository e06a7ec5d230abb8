import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../errors';
import { bearerToken } from '../../lib/bearer';
import type { AdminAccess } from './admin-access';

export { AdminAccess, authKeyMissing, authKeyProblem, MIN_AUTH_KEY_LENGTH } from './admin-access';

/** Options of {@link adminAuth}. */
export interface AdminAuthOptions {
  access: AdminAccess;
  /** Other ways in (the UI's session cookie); true lets the request through. */
  alternatives?: Array<(c: Context) => Promise<boolean>>;
}

/**
 * The admin key, as `Authorization: Bearer <AUTH_KEY>` (compared in constant
 * time, failures counted per address), or one of the alternatives.
 */
export function adminAuth(options: AdminAuthOptions): MiddlewareHandler {
  const { access } = options;
  return async (c, next) => {
    access.key();
    const bearer = bearerToken(c.req.header('authorization'));
    if (bearer && (await access.admits(c, bearer))) return next();
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
