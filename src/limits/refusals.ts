import type { SpendCap } from '../client-keys/client-key-record';
import { AppError } from '../errors';
import { spendCapRefusal } from '../stats/spend-cap';
import type { Spend } from './limits';

/** 429 for a client key over its requests per minute, with how long to wait. */
export function rateLimitRefusal(rpm: number, waitMs: number): AppError {
  const seconds = String(Math.max(1, Math.ceil(waitMs / 1000)));
  return new AppError(
    429,
    `Rate limit of ${rpm} requests per minute reached; retry in ${seconds} s`,
    'rate_limit_exceeded',
    'rate_limit_error',
    { 'retry-after': seconds, 'x-cloudrouter-attempts': '0' },
  );
}

/**
 * 429 for a client key whose cap is used up (no `Retry-After`: see
 * `spendCapRefusal`), or, when what is left of it is reserved by its
 * requests in flight, a 429 to retry in a second.
 */
export function capRefusal(
  cap: SpendCap,
  used: Spend,
  reason: 'reached' | 'in_flight',
  now: number,
): AppError {
  if (reason === 'reached') {
    const totals = { requests: 0, ...used };
    const refusal = spendCapRefusal(cap, { today: totals, month: totals }, now);
    if (refusal) return refusal;
  }
  return new AppError(
    429,
    `This API key's ${cap.period === 'day' ? 'daily' : 'monthly'} spending cap is nearly reached and what is left is held by its requests in flight; retry in 1 s`,
    'spending_cap_in_flight',
    'rate_limit_error',
    { 'retry-after': '1', 'x-cloudrouter-attempts': '0' },
  );
}
