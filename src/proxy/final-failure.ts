import { AppError, fromUpstreamError } from '../errors';
import type { ErrorClass, UpstreamVerdict } from './upstream-error';

/** One failed attempt, as the final answer needs it: the key's hint, never the key. */
export interface AttemptFailure {
  hint: string;
  status: number | null;
  verdict: UpstreamVerdict;
  /** The upstream's error body (redacted), or null. */
  body: unknown;
}

/** Why the attempts stopped without an answer. */
export interface FinalFailureInput {
  why: 'budget' | 'deadline' | 'no-key';
  failures: readonly AttemptFailure[];
  /** When a key resting now (cooldown, free-model rest, refusal) may serve again, if any will. */
  backInMs: number | null;
}

/** Hints listed in a message at most. */
const LISTED = 8;

/**
 * What the client hears when no key served its request. The pool's own
 * failures are never the client's: no upstream 401 or 402 goes through as
 * such. In order: a request too big for every key's credit, 400
 * `request_unaffordable`; refused for every key's account, the refusal (403 or
 * 404); provider failures, 502 `upstream_error` or 504 `upstream_timeout`; the
 * deadline, 504 `deadline_exceeded`; keys that will be back, 429
 * `all_keys_rate_limited` with `Retry-After`; none, 503 `no_available_keys`.
 * The message names the hints of the keys tried.
 */
export function finalFailure(input: FinalFailureInput): {
  ok: false;
  error: AppError;
  errorClass: ErrorClass;
} {
  const { failures } = input;
  const tried = triedText(failures);
  const last = (test: (f: AttemptFailure) => boolean) => {
    for (let i = failures.length - 1; i >= 0; i--) if (test(failures[i])) return failures[i];
    return null;
  };
  const fail = (error: AppError, errorClass: ErrorClass) => ({ ok: false as const, error, errorClass });

  const unaffordable = last((f) => f.verdict.errorClass === 'unaffordable');
  if (unaffordable) {
    const error = new AppError(
      400,
      `No key can afford this request: ${unaffordable.verdict.message}. Ask for fewer max_tokens or send a shorter prompt${tried}`,
      'request_unaffordable',
      'invalid_request_error',
    );
    return fail(error, 'unaffordable');
  }
  const refused = last((f) => f.verdict.errorClass === 'key_refused');
  if (refused && refused.status !== null) {
    const upstream = fromUpstreamError(refused.status, refused.body);
    const error = new AppError(
      refused.status,
      `${upstream.message}${tried}`,
      upstream.code,
      upstream.type,
      {},
      upstream.extra,
    );
    return fail(error, 'key_refused');
  }
  const costly = last((f) => f.verdict.costly);
  if (costly) {
    const upstream = costly.status === null ? null : fromUpstreamError(costly.status, costly.body);
    const timeout = costly.verdict.errorClass === 'timeout';
    const error = new AppError(
      timeout ? 504 : 502,
      `${costly.verdict.message}${tried}`,
      timeout ? 'upstream_timeout' : 'upstream_error',
      timeout ? 'timeout_error' : 'server_error',
      {},
      upstream?.extra ?? {},
    );
    return fail(error, costly.verdict.errorClass);
  }
  if (input.why === 'deadline') {
    const error = new AppError(
      504,
      `No upstream answer before the request deadline${tried}`,
      'deadline_exceeded',
      'timeout_error',
    );
    return fail(error, 'timeout');
  }
  const limited = last(
    (f) => f.verdict.errorClass === 'rate_limited' || f.verdict.errorClass === 'free_limited',
  );
  const backInMs = input.backInMs ?? limited?.verdict.retryAfterMs ?? (limited ? 1000 : null);
  if (backInMs !== null) {
    const seconds = Math.max(1, Math.ceil(backInMs / 1000));
    const error = new AppError(
      429,
      `Every upstream key is rate limited; the first is back in ${seconds} s${tried}`,
      'all_keys_rate_limited',
      'rate_limit_error',
    );
    error.retryAfterS = seconds;
    return fail(error, limited?.verdict.errorClass ?? 'rate_limited');
  }
  const why =
    input.why === 'budget'
      ? 'No upstream key served this request within the attempt budget'
      : failures.length
        ? 'No other upstream key is available'
        : 'No upstream key is available, and none is cooling down';
  return fail(new AppError(503, `${why}${tried}`, 'no_available_keys'), 'no_available_keys');
}

/** "; keys tried: sk-or-v1-…a1b2 (401 invalid_key), ..." or nothing. */
function triedText(failures: readonly AttemptFailure[]): string {
  if (failures.length === 0) return '';
  const listed = failures
    .slice(0, LISTED)
    .map((f) => `${f.hint} (${f.status === null ? '' : `${f.status} `}${f.verdict.errorClass})`);
  const more = failures.length > LISTED ? ` and ${failures.length - LISTED} more` : '';
  return `; keys tried: ${listed.join(', ')}${more}`;
}
