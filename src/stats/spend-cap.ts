import type { SpendCap } from '../client-keys/client-key-record';
import { AppError } from '../errors';
import type { UsageTotals } from './client-usage';
import { nextUtcDay, nextUtcMonth } from './stats-names';
import type { ClientUsage } from './usage-ledger';

/**
 * The refusal of a client key whose usage in the cap's period (UTC day or
 * month) has reached the cap, or null while it may go on. 429, without
 * `Retry-After` (the reset may be weeks away, and SDKs would sleep that
 * long), with `x-should-retry: false` so that SDKs do not retry at all.
 */
export function spendCapRefusal(cap: SpendCap, usage: ClientUsage, now: number): AppError | null {
  const used: UsageTotals = cap.period === 'day' ? usage.today : usage.month;
  const reached: string[] = [];
  if (cap.tokens !== null && used.tokens >= cap.tokens)
    reached.push(`${used.tokens} of ${cap.tokens} tokens`);
  if (cap.cost !== null && used.cost >= cap.cost) reached.push(`$${round(used.cost)} of $${round(cap.cost)}`);
  if (reached.length === 0) return null;
  const resetsAt = new Date(cap.period === 'day' ? nextUtcDay(now) : nextUtcMonth(now)).toISOString();
  const period = cap.period === 'day' ? 'daily' : 'monthly';
  return new AppError(
    429,
    `This API key has reached its ${period} spending cap (${reached.join(', ')} used); it resets at ${resetsAt}`,
    'spending_cap_reached',
    'insufficient_quota',
    { 'x-cloudrouter-attempts': '0', 'x-should-retry': 'false', 'x-cloudrouter-cap-reset': resetsAt },
  );
}

const round = (n: number) => String(Math.round(n * 1e6) / 1e6);
