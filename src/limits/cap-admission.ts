import type { SpendCap } from '../client-keys/client-key-record';
import type { Spend } from './limits';

/** The answer of {@link capAdmission}. */
export type CapAdmission =
  | { ok: true; reserve: Spend }
  | { ok: false; reason: 'reached' }
  | { ok: false; reason: 'in_flight' };

/**
 * Whether one more request fits under a spending cap, and what it reserves.
 * `used` is what the period's settled requests spent, `inFlight` what
 * admitted requests not yet settled reserved, `largest` the most one request
 * of this key spent so far (null: none seen yet).
 *
 * A request reserves `largest`, or, before any is known, all the room left,
 * so parallel requests cannot together pass the cap by more than one
 * request's worth: the cap is passed at most by what was in flight when it
 * was reached. A cap with room left but all of it reserved answers
 * `in_flight` (try again in a moment), one used up answers `reached`.
 */
export function capAdmission(
  cap: SpendCap,
  used: Spend,
  inFlight: Spend,
  largest: Spend | null,
): CapAdmission {
  if ((cap.tokens !== null && used.tokens >= cap.tokens) || (cap.cost !== null && used.cost >= cap.cost))
    return { ok: false, reason: 'reached' };
  const roomTokens =
    cap.tokens === null ? Number.POSITIVE_INFINITY : cap.tokens - used.tokens - inFlight.tokens;
  const roomCost = cap.cost === null ? Number.POSITIVE_INFINITY : cap.cost - used.cost - inFlight.cost;
  if (roomTokens <= 0 || roomCost <= 0) return { ok: false, reason: 'in_flight' };
  const reserve: Spend = {
    tokens: cap.tokens === null ? 0 : largest ? largest.tokens : roomTokens,
    cost: cap.cost === null ? 0 : largest ? largest.cost : roomCost,
  };
  return { ok: true, reserve };
}

/** The larger of each count: what one request of a key may spend, learnt from its settled requests. */
export function largerSpend(a: Spend | null, b: Spend): Spend {
  return a ? { tokens: Math.max(a.tokens, b.tokens), cost: Math.max(a.cost, b.cost) } : { ...b };
}
