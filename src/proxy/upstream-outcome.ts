import type { KeyEvent } from '../keys/key-state';

/**
 * What to do with an upstream answer:
 * - `success`: hand it to the client;
 * - `next-key`: the key failed (or the provider did): try another key;
 * - `client-error`: the request itself is at fault (400, 404, 413, 422,
 *   moderation 403, context too long): pass it to the client, penalise no key.
 * `event` is what happened to the key, when anything did.
 */
export type Outcome =
  | { action: 'success' }
  | { action: 'next-key'; event: KeyEvent; errorClass: ErrorClass }
  | { action: 'client-error'; errorClass: 'client_error' };

/** Failure classes, as counted in stats and logs. */
export type ErrorClass =
  | 'rate_limited'
  | 'invalid_key'
  | 'no_credit'
  | 'upstream_error'
  | 'timeout'
  | 'network'
  | 'client_error'
  | 'no_available_keys'
  | 'stream_error'
  | 'client_closed';

/** OpenRouter answers 403 both for moderation and for a key over its own spending limit. */
const KEY_LIMIT = /key limit|limit exceeded|insufficient credit|credits/i;

/** Classifies an upstream status (and its error message, for the 403 case). */
export function classifyStatus(
  status: number,
  message: string,
  retryAfterMs: number | null,
  hasModerationMetadata = false,
): Outcome {
  if (status >= 200 && status < 300) return { action: 'success' };
  if (status === 401)
    return { action: 'next-key', event: { kind: 'unauthorized', message }, errorClass: 'invalid_key' };
  if (status === 402 || (status === 403 && !hasModerationMetadata && KEY_LIMIT.test(message))) {
    return { action: 'next-key', event: { kind: 'payment-required', message }, errorClass: 'no_credit' };
  }
  if (status === 429) {
    return {
      action: 'next-key',
      event: { kind: 'rate-limited', retryAfterMs, message },
      errorClass: 'rate_limited',
    };
  }
  if (status === 408 || status >= 500) {
    return {
      action: 'next-key',
      event: { kind: 'transient', status, message },
      errorClass: status === 408 || status === 504 || status === 524 ? 'timeout' : 'upstream_error',
    };
  }
  return { action: 'client-error', errorClass: 'client_error' };
}
