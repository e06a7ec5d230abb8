import type { MiddlewareHandler } from 'hono';
import {
  type ClientKeyRecord,
  clientKeyRefusal,
  unknownClientKey,
} from '../../client-keys/client-key-record';
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
 * A client key, as `Authorization: Bearer <key>` or `x-api-key: <key>` (what
 * Anthropic clients send): 401 when it is missing,
 * unknown, disabled or expired. Sets `c.var.clientKey`.
 */
export function clientAuth(
  options: ClientAuthOptions,
): MiddlewareHandler<{ Variables: ClientAuthVariables }> {
  return async (c, next) => {
    c.set('clientKey', await clientKeyOf(options, c.req.header('authorization'), c.req.header('x-api-key')));
    await next();
  };
}

/**
 * The client key an `Authorization` header (else an `x-api-key` header)
 * holds; throws the refusal. A key known from memory is answered at once,
 * without a promise.
 */
export function clientKeyOf(
  options: ClientAuthOptions,
  authorization: string | undefined,
  apiKey?: string,
): ClientKeyRecord | Promise<ClientKeyRecord> {
  const bearer = bearerToken(authorization) || (apiKey?.trim() ?? '');
  if (!bearer)
    throw unauthorized(
      'Missing API key: send Authorization: Bearer <key> or x-api-key: <key>',
      'missing_api_key',
    );
  const now = options.clock.now();
  const known = options.clientKeys.cached(bearer, now);
  if (known !== undefined) return admitted(known, now);
  return options.clientKeys.authenticate(bearer).then((record) => admitted(record, options.clock.now()));
}

function admitted(record: ClientKeyRecord | null, now: number): ClientKeyRecord {
  if (!record) throw unknownClientKey();
  const refusal = clientKeyRefusal(record, now);
  if (refusal) throw refusal;
  return record;
}

function unauthorized(message: string, code: string): AppError {
  return new AppError(401, message, code, 'authentication_error', { 'x-cloudrouter-attempts': '0' });
}
