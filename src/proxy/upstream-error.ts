import type { KeyEvent } from '../keys/key-state';
import { rateLimitResetAt, retryAfterMs } from './retry-after';

/**
 * The one classifier of upstream errors, for every path and every API
 * family: a non-2xx answer, a 200 whose body is `{error}`, a stream's error
 * event before its first data event, and a mid-stream error. Pure: it reads
 * OpenRouter's typed error metadata first, the status next, the message text
 * last, and says what the failure means for the key and for the request.
 *
 * Its input is a status and the parsed error object (OpenAI/OpenRouter's
 * `{code, message, metadata}`, Anthropic's `{type, message}`, a Responses
 * `{code, message}`), so every route's format feeds the same rules.
 */

/** Failure classes, as counted in stats and logs and shown per attempt. */
export type ErrorClass =
  /** 401: the key is dead. */
  | 'invalid_key'
  /** 402 (or a typed `payment_required`) that is about the key's credit. */
  | 'no_credit'
  /** 402 for this request's size ("requires more credits, or fewer max_tokens"): a smaller one would pass. */
  | 'unaffordable'
  /** 429 from the key's (account's) rate limit. */
  | 'rate_limited'
  /** 429 for a `:free` model: the account's free-model limit (per minute or per day). */
  | 'free_limited'
  /** A refusal that depends on the key's account: data-policy 404, a guardrail or key-limit 403. */
  | 'key_refused'
  /** 5xx, a provider that failed. */
  | 'upstream_error'
  /** 408, 504, 524, no headers in time. */
  | 'timeout'
  /** The connection failed or the answer was cut short. */
  | 'network'
  /** Flagged by moderation: the request's fault, passed once. */
  | 'moderation'
  /** 400, 404, 413, 422 and the like: the request's fault, passed once. */
  | 'client_error'
  /** No key could take the request. */
  | 'no_available_keys'
  /** A stream that failed after (or without) its first data event. */
  | 'stream_error'
  /** A 200 with no content and no tool call, retried on another key (RETRY_EMPTY_ANSWERS). */
  | 'empty_answer'
  | 'client_closed';

/** What the classifier is given. */
export interface UpstreamErrorInput {
  /** The HTTP status, or the error's own `code` (a 200 whose body is an error, a stream event). */
  status: number;
  /** The parsed error object (the `error` member of the body or event), or null. */
  error: unknown;
  /** The answer's headers (lower-case names), for `Retry-After` and `X-RateLimit-Reset`. */
  headers?: Record<string, string>;
  /** The model the request named (after resolution): `:free` models have their own limits. */
  model?: string | null;
  now: number;
}

/** What a failure means. */
export interface UpstreamVerdict {
  errorClass: ErrorClass;
  /** `next-key`: another key may serve the request; `client-error`: pass it to the client once. */
  action: 'next-key' | 'client-error';
  /**
   * True when the attempt cost time at the provider (5xx, timeouts, network):
   * it counts against MAX_ATTEMPTS. Key faults answered at once do not.
   */
  costly: boolean;
  /** What the key's state machine hears, or null when the key is not concerned. */
  event: KeyEvent | null;
  /** Check the key's credit now (`GET /key`): only its credit may say it is exhausted. */
  checkKey: boolean;
  /** How long upstream asked to wait, in ms, when it said. */
  retryAfterMs: number | null;
  message: string;
}

/** How a transport failed, when there was no error object to read. */
export type TransportFailure = 'timeout' | 'network' | 'stream_error';

/** OpenRouter's typed error metadata (`ApiErrorType`), and Anthropic's error types, read as a status. */
const TYPED_STATUS: Record<string, number> = {
  authentication: 401,
  authentication_error: 401,
  payment_required: 402,
  billing_error: 402,
  permission_denied: 403,
  permission_error: 403,
  not_found: 404,
  not_found_error: 404,
  rate_limit_exceeded: 429,
  rate_limit_error: 429,
  timeout: 408,
  timeout_error: 408,
  provider_overloaded: 502,
  provider_unavailable: 502,
  overloaded_error: 529,
  server: 500,
  server_error: 500,
  api_error: 500,
  payload_too_large: 413,
  unprocessable: 422,
  precondition_failed: 400,
  context_length_exceeded: 400,
  max_tokens_exceeded: 400,
  token_limit_exceeded: 400,
  string_too_long: 400,
  invalid_request: 400,
  invalid_prompt: 400,
  invalid_image: 400,
  image_too_large: 400,
  image_too_small: 400,
  unsupported_image_format: 400,
  image_not_found: 400,
  image_download_failed: 400,
};
const MODERATION_TYPES = new Set(['content_policy_violation', 'refusal']);

/** A 402 that a smaller request would pass. */
const UNAFFORDABLE = /fewer max_tokens|can only afford|more credits, or fewer|requested up to/i;
/** A 403 about the key's own guardrail or limit (after moderation is ruled out). */
const KEY_REFUSAL_403 =
  /guardrail|key limit|limit exceeded|insufficient credit|credits|not allowed|allowed (models|providers)/i;
/** A refusal that names the key's limit or credit. */
const KEY_LIMIT = /limit|credit/i;
/** A 404 that depends on the account's privacy settings or guardrail, not on the model id. */
const KEY_REFUSAL_404 = /data policy|guardrail|privacy settings/i;
/** Moderation, by its words, when no metadata says so. */
const MODERATION_TEXT = /flagged|moderation/i;
/** A management (provisioning) key: it can never serve inference. */
const MANAGEMENT_KEY = /management key|provisioning key/i;
/** OpenRouter's daily quota of free-model requests. */
const FREE_DAILY = /free-models-per-day|per day|daily/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/** OpenRouter repeats a 429's `X-RateLimit-*` headers in `metadata.headers`: lower-cased here. */
function metadataHeaders(error: Record<string, unknown> | null): Record<string, string> {
  const metadata = error && isObject(error.metadata) ? error.metadata : null;
  const given = metadata && isObject(metadata.headers) ? metadata.headers : null;
  const headers: Record<string, string> = {};
  if (given) for (const [name, value] of Object.entries(given)) headers[name.toLowerCase()] = String(value);
  return headers;
}

/** The typed error name an error object carries: `metadata.error_type`, `error_type`, a typed `type` or `code`. */
function typedName(error: Record<string, unknown> | null): string | null {
  if (!error) return null;
  const metadata = isObject(error.metadata) ? error.metadata : null;
  for (const candidate of [metadata?.error_type, error.error_type, error.type, error.code]) {
    const name = stringOf(candidate);
    if (name && (name in TYPED_STATUS || MODERATION_TYPES.has(name))) return name;
  }
  return null;
}

function isModeration(
  error: Record<string, unknown> | null,
  typed: string | null,
  status: number,
  message: string,
): boolean {
  if (typed && MODERATION_TYPES.has(typed)) return true;
  const metadata = error && isObject(error.metadata) ? error.metadata : null;
  if (metadata && ('reasons' in metadata || 'flagged_input' in metadata)) return true;
  return status === 403 && MODERATION_TEXT.test(message) && !/guardrail/i.test(message);
}

/** The next midnight UTC after `now`: when OpenRouter's daily free-model quota resets. */
export function nextMidnightUtc(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** True for a model with OpenRouter's per-account free-model limits. */
export function isFreeModel(model: string | null | undefined): boolean {
  return typeof model === 'string' && model.endsWith(':free');
}

/** Classifies one upstream error (see the module's comment). */
export function classifyUpstreamError(input: UpstreamErrorInput): UpstreamVerdict {
  const { now } = input;
  const headers = input.headers ?? {};
  const error = isObject(input.error) ? input.error : null;
  const message = stringOf(error?.message) ?? `Upstream answered ${input.status}`;
  const typed = typedName(error);
  const wait = retryAfterMs(headers, now);
  const reset = rateLimitResetAt(headers, now) ?? rateLimitResetAt(metadataHeaders(error), now);
  const base = { message, retryAfterMs: wait, checkKey: false };
  const client = (errorClass: 'client_error' | 'moderation'): UpstreamVerdict => ({
    ...base,
    errorClass,
    action: 'client-error',
    costly: false,
    event: null,
  });
  const keyFault = (errorClass: ErrorClass, event: KeyEvent | null, checkKey = false): UpstreamVerdict => ({
    ...base,
    errorClass,
    action: 'next-key',
    costly: false,
    event,
    checkKey,
  });
  // A refusal naming the key's own limit or credit also has its credit checked.
  const refused = () =>
    keyFault(
      'key_refused',
      { kind: 'refused', model: input.model ?? '', status: input.status, message },
      KEY_LIMIT.test(message),
    );

  if (isModeration(error, typed, input.status, message)) return client('moderation');
  const status = (typed && TYPED_STATUS[typed]) || input.status;

  if (status === 401 || (status === 403 && MANAGEMENT_KEY.test(message)))
    return keyFault('invalid_key', { kind: 'unauthorized', message });
  if (status === 402) {
    if (UNAFFORDABLE.test(message)) return keyFault('unaffordable', null);
    return keyFault('no_credit', { kind: 'payment-required', message }, true);
  }
  if (status === 429) {
    if (isFreeModel(input.model)) {
      const daily = FREE_DAILY.test(message);
      const until =
        reset ?? (wait !== null ? now + wait : daily ? nextMidnightUtc(now) : now + FREE_MINUTE_MS);
      return keyFault('free_limited', { kind: 'free-limited', until, message });
    }
    const retry = wait ?? (reset === null ? null : reset - now);
    return {
      ...keyFault('rate_limited', { kind: 'rate-limited', retryAfterMs: retry, message }),
      retryAfterMs: retry,
    };
  }
  if (status === 403) return KEY_REFUSAL_403.test(message) ? refused() : client('client_error');
  if (status === 404) return KEY_REFUSAL_404.test(message) ? refused() : client('client_error');
  if (status === 408 || status === 504 || status === 524)
    return {
      ...base,
      errorClass: 'timeout',
      action: 'next-key',
      costly: true,
      event: transient(input.status, message),
    };
  if (status >= 500)
    return {
      ...base,
      errorClass: 'upstream_error',
      action: 'next-key',
      costly: true,
      event: transient(input.status, message),
    };
  return client('client_error');
}

/** A failure without an error object: no headers in time, a lost connection, a stream that ended early. */
export function classifyTransportFailure(kind: TransportFailure, message: string): UpstreamVerdict {
  return {
    errorClass: kind,
    action: 'next-key',
    costly: true,
    event: transient(null, message),
    checkKey: false,
    retryAfterMs: null,
    message,
  };
}

/** Free-model limits are 20 requests a minute: without a reset time, a key rests that long. */
export const FREE_MINUTE_MS = 60_000;

function transient(status: number | null, message: string): KeyEvent {
  return { kind: 'transient', status, message };
}
