import { describe, expect, it } from 'vitest';
import { testClientKey as client } from '../client-keys/test-client-key';
import { AppError } from '../errors';
import type { Spend } from './limits';
import { LocalLimits } from './local-limits';

const refusalOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  return null;
};

describe('LocalLimits', () => {
  it('lets through exactly rpm requests a minute', () => {
    const limits = new LocalLimits({ used: () => ({ tokens: 0, cost: 0 }) });
    const key = client({ rpm: 6 });
    const codes = Array.from(
      { length: 8 },
      (_, i) => refusalOf(() => limits.admit(key, 1000 + i))?.code ?? 'ok',
    );
    expect(codes.filter((c) => c === 'ok')).toHaveLength(6);
    expect(codes[7]).toBe('rate_limit_exceeded');
    expect(refusalOf(() => limits.admit(key, 61_001))).toBeNull();
  });

  it('holds parallel requests under a cap to what was in flight, and frees the room when settled', () => {
    let used: Spend = { tokens: 0, cost: 0 };
    const limits = new LocalLimits({ used: () => used });
    const key = client({ cap: { period: 'day', tokens: null, cost: 0.01 } });
    const first = limits.admit(key, 0);
    expect(first).not.toBeNull();
    // Seven more while the first is in flight: its reservation holds the whole cap.
    const refused = Array.from({ length: 7 }, () => refusalOf(() => limits.admit(key, 0)));
    expect(
      refused.every((r) => r?.code === 'spending_cap_in_flight' && r.headers['retry-after'] === '1'),
    ).toBe(true);
    // The first spent less than the cap: the room is free again, one request's worth reserved each.
    used = { tokens: 10, cost: 0.004 };
    if (first) limits.settle(first, used);
    const second = limits.admit(key, 0);
    expect(second?.reserved.cost).toBe(0.004);
    expect(limits.admit(key, 0)).not.toBeNull();
    // 0.004 used + 2 × 0.004 in flight = 0.012: nothing left to reserve.
    expect(refusalOf(() => limits.admit(key, 0))?.code).toBe('spending_cap_in_flight');
    used = { tokens: 20, cost: 0.01 };
    expect(refusalOf(() => limits.admit(key, 0))?.code).toBe('spending_cap_reached');
  });

  it('settles a ticket once: a second settle frees nothing more', () => {
    const limits = new LocalLimits({ used: () => ({ tokens: 0, cost: 0 }) });
    const key = client({ cap: { period: 'day', tokens: 100, cost: null } });
    const a = limits.admit(key, 0);
    if (a) limits.settle(a, { tokens: 40, cost: 0 });
    const b = limits.admit(key, 0);
    const c = limits.admit(key, 0);
    if (b) {
      limits.settle(b, null);
      limits.settle(b, null);
    }
    // Only c holds 40 of the 100 now (used 0 here): while room is left a request goes in,
    // reserving 40 (80, then 120 held); then none.
    expect(c?.reserved.tokens).toBe(40);
    expect(limits.admit(key, 0)).not.toBeNull();
    expect(limits.admit(key, 0)).not.toBeNull();
    expect(refusalOf(() => limits.admit(key, 0))?.code).toBe('spending_cap_in_flight');
  });

  it('refuses by rpm without reserving the cap', () => {
    const limits = new LocalLimits({ used: () => ({ tokens: 0, cost: 0 }) });
    const key = client({ rpm: 1, cap: { period: 'day', tokens: 100, cost: null } });
    const a = limits.admit(key, 0);
    if (a) limits.settle(a, { tokens: 10, cost: 0 });
    expect(refusalOf(() => limits.admit(key, 1))?.code).toBe('rate_limit_exceeded');
    expect(limits.admit(key, 60_001)?.reserved.tokens).toBe(10);
  });
});
