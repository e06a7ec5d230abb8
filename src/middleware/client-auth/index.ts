import type { MiddlewareHandler } from 'hono';
import type { ClientKeyRecord } from '../../client-keys/client-key-record';
import { clientKeyRefusal } from '../../client-keys/client-key-record';
import type { ClientKeyService } from '../../client-keys/client-key-service';
import type { Clock } from '../../deps';
import { AppError } from '../../errors';
import { bearerToken } from '../../lib/bearer';

/** Options of {@link clientAuth}. */
export interface ClientAuthOptions {
  clientKeys: ClientKeyService;
  clock: Clock;
}

/** Hono variables set by {@link clientAuth}. */
export interface ClientAuthVariables {
  clientKey: ClientKeyRecord;
}

/**
 * A client key, as `Authorization: Bearer <key>`: 401 when it is missing,
 * unknown, disabled or expired. Sets `c.var.clientKey`.
 */
export function clientAuth(
  options: ClientAuthOptions,
): MiddlewareHandler<{ Variables: ClientAuthVariables }> {
  return async (c, next) => {
    const bearer = bearerToken(c.req.header('authorization'));
    if (!bearer) throw unauthorized('Missing API key: send Authorization: Bearer <key>', 'missing_api_key');
    const record = await options.clientKeys.authenticate(bearer);
    if (!record) throw unauthorized('Invalid API key', 'invalid_api_key');
    const refusal = clientKeyRefusal(record, options.clock.now());
    if (refusal) throw refusal;
    c.set('clientKey', record);
    await next();
  };
}

function unauthorized(message: string, code: string): AppError {
  return new AppError(401, message, code, 'authentication_error', { 'x-cloudrouter-attempts': '0' });
}
