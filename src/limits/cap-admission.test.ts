import { describe, expect, it } from 'vitest';
import { capAdmission, largerSpend } from './cap-admission';

const cap = (tokens: number | null, cost: number | null) => ({ period: 'day' as const, tokens, cost });
const spend = (tokens: number, cost: number) => ({ tokens, cost });

describe('capAdmission', () => {
  it('refuses a used-up cap as reached, whatever is in flight', () => {
    expect(capAdmission(cap(100, null), spend(100, 0), spend(0, 0), null)).toEqual({
      ok: false,
      reason: 'reached',
    });
    expect(capAdmission(cap(null, 1), spend(0, 1.5), spend(0, 0), spend(1, 1))).toEqual({
      ok: false,
      reason: 'reached',
    });
  });

  it('reserves all the room left before any request of the key is known, so a second waits', () => {
    const first = capAdmission(cap(100, 2), spend(40, 0.5), spend(0, 0), null);
    expect(first).toEqual({ ok: true, reserve: { tokens: 60, cost: 1.5 } });
    expect(capAdmission(cap(100, 2), spend(40, 0.5), spend(60, 1.5), null)).toEqual({
      ok: false,
      reason: 'in_flight',
    });
  });

  it('reserves the largest request seen once one is known, so only what fits goes in parallel', () => {
    const largest = spend(30, 0);
    let inFlight = spend(0, 0);
    let admitted = 0;
    for (let i = 0; i < 8; i++) {
      const answer = capAdmission(cap(100, null), spend(10, 0), inFlight, largest);
      if (!answer.ok) break;
      admitted++;
      inFlight = spend(inFlight.tokens + answer.reserve.tokens, 0);
    }
    // 10 used + 3 × 30 = 100: the fourth finds no room.
    expect(admitted).toBe(3);
  });

  it('reserves nothing of a dimension the cap does not bound', () => {
    expect(capAdmission(cap(null, 1), spend(5000, 0), spend(0, 0), spend(900, 0.1))).toEqual({
      ok: true,
      reserve: { tokens: 0, cost: 0.1 },
    });
  });
});

describe('largerSpend', () => {
  it('keeps the larger of each count', () => {
    expect(largerSpend(null, spend(3, 0.2))).toEqual(spend(3, 0.2));
    expect(largerSpend(spend(5, 0.1), spend(3, 0.2))).toEqual(spend(5, 0.2));
  });
});
