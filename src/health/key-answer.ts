import { isRecord } from '../errors';
import type { KeyCredit } from '../keys/key-records';
import type { KeyEvent } from '../keys/key-state';
import { nextResetAt } from './reset-time';

/** What one `GET /key` taught about a key: the event for its state, and its credit when the answer had it. */
export interface KeyCheckResult {
  event: KeyEvent;
  credit: KeyCredit | null;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** The credit fields of OpenRouter's `GetCurrentKeyResponse.data`. */
export function creditOf(data: Record<string, unknown>): KeyCredit {
  const free = isRecord(data.free_model_daily_requests) ? data.free_model_daily_requests : null;
  return {
    limit: num(data.limit),
    remaining: num(data.limit_remaining),
    reset: str(data.limit_reset),
    usage: num(data.usage),
    usageDaily: num(data.usage_daily),
    usageMonthly: num(data.usage_monthly),
    freeTier: typeof data.is_free_tier === 'boolean' ? data.is_free_tier : null,
    expiresAt: str(data.expires_at),
    freeRequestsLeft: free ? num(free.remaining) : null,
  };
}

function upstreamMessage(body: unknown, fallback: string): string {
  const inner = isRecord(body) && isRecord(body.error) ? body.error : null;
  return typeof inner?.message === 'string' && inner.message ? inner.message : fallback;
}

/**
 * Reads OpenRouter's answer to `GET /key` (`status` null: no answer, with
 * `failure` saying why). 401 → `unauthorized` (invalid); 402, or a limit
 * with nothing left → `payment-required` (exhausted) until the limit's next
 * reset; an expired key or a management key → `unauthorized`; a healthy answer → `check-ok`
 * (back to active); anything else → `check-failed` (last error only).
 */
export function interpretKeyAnswer(
  status: number | null,
  body: unknown,
  now: number,
  failure = 'no answer',
): KeyCheckResult {
  if (status === null)
    return { event: { kind: 'check-failed', status: null, message: failure }, credit: null };
  if (status === 401)
    return {
      event: {
        kind: 'unauthorized',
        message: upstreamMessage(body, 'GET /key answered 401: the key is invalid'),
      },
      credit: null,
    };
  if (status === 402)
    return {
      event: { kind: 'payment-required', message: upstreamMessage(body, 'GET /key answered 402: no credit') },
      credit: null,
    };
  const data = isRecord(body) && isRecord(body.data) ? body.data : null;
  if (status !== 200 || !data) {
    const message =
      status === 200
        ? 'GET /key answered without data'
        : upstreamMessage(body, `GET /key answered ${status}`);
    return { event: { kind: 'check-failed', status, message }, credit: null };
  }
  const credit = creditOf(data);
  if (data.is_management_key === true || data.is_provisioning_key === true)
    return {
      event: {
        kind: 'unauthorized',
        message:
          'A management (provisioning) key: it can only manage keys and cannot serve requests; import an inference key instead',
      },
      credit,
    };
  const expires = credit.expiresAt ? Date.parse(credit.expiresAt) : Number.NaN;
  if (expires <= now)
    return { event: { kind: 'unauthorized', message: `The key expired at ${credit.expiresAt}` }, credit };
  if (credit.limit !== null && credit.remaining !== null && credit.remaining <= 0) {
    const resetAt = nextResetAt(credit.reset, now);
    const when =
      resetAt === null ? 'the limit does not reset' : `it resets at ${new Date(resetAt).toISOString()}`;
    return {
      event: {
        kind: 'payment-required',
        message: `No credit left: the key's limit of ${credit.limit} is spent; ${when}`,
        resetAt,
      },
      credit,
    };
  }
  return { event: { kind: 'check-ok' }, credit };
}
