import { describe, expect, it } from 'vitest';
import { spendCapRefusal } from './spend-cap';

const NOW = Date.UTC(2026, 4, 10, 12);
const usage = (tokens: number, cost: number) => ({
  today: { requests: 1, tokens, cost },
  month: { requests: 9, tokens: tokens * 10, cost: cost * 10 },
});

describe('spendCapRefusal', () => {
  it('lets a key go on below its cap', () => {
    expect(spendCapRefusal({ period: 'day', tokens: 100, cost: null }, usage(99, 0), NOW)).toBeNull();
    expect(spendCapRefusal({ period: 'day', tokens: null, cost: 1 }, usage(0, 0.99), NOW)).toBeNull();
  });

  it('refuses with 429 once the day is spent, saying when it resets, and asks SDKs not to retry', () => {
    const err = spendCapRefusal({ period: 'day', tokens: 100, cost: null }, usage(100, 0), NOW);
    expect(err?.status).toBe(429);
    expect(err?.code).toBe('spending_cap_reached');
    expect(err?.message).toContain('daily spending cap (100 of 100 tokens used)');
    expect(err?.message).toContain('2026-05-11T00:00:00.000Z');
    expect(err?.headers['x-should-retry']).toBe('false');
    expect(err?.headers['retry-after']).toBeUndefined();
  });

  it('counts the month for a monthly cap, and cost too', () => {
    const err = spendCapRefusal({ period: 'month', tokens: null, cost: 5 }, usage(0, 0.5), NOW);
    expect(err?.message).toContain('monthly spending cap ($5 of $5 used)');
    expect(err?.message).toContain('2026-06-01T00:00:00.000Z');
  });
});
