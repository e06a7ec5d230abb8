import { describe, expect, it } from 'vitest';
import type { KeyCredit } from '../keys/key-records';
import { creditChangedMaterially, REFRESH_WRITE_MS, shouldWriteCheck } from './credit-change';

const credit: KeyCredit = {
  limit: 100,
  remaining: 60,
  reset: 'monthly',
  usage: 40,
  usageDaily: 2,
  usageMonthly: 40,
  freeTier: false,
  expiresAt: null,
  freeRequestsLeft: 1000,
};

describe('creditChangedMaterially', () => {
  it('ignores usage creeping on, and small moves of the remaining credit', () => {
    expect(creditChangedMaterially(credit, { ...credit, usage: 45, usageDaily: 7, remaining: 55 })).toBe(
      false,
    );
    expect(creditChangedMaterially(credit, { ...credit, freeRequestsLeft: 990 })).toBe(false);
  });

  it('sees a new limit, reset, tier or expiry, a tenth of the limit spent, credit running out', () => {
    expect(creditChangedMaterially(credit, { ...credit, limit: 200 })).toBe(true);
    expect(creditChangedMaterially(credit, { ...credit, reset: 'daily' })).toBe(true);
    expect(creditChangedMaterially(credit, { ...credit, freeTier: true })).toBe(true);
    expect(creditChangedMaterially(credit, { ...credit, expiresAt: '2027-01-01T00:00:00Z' })).toBe(true);
    expect(creditChangedMaterially(credit, { ...credit, remaining: 50 })).toBe(true);
    expect(creditChangedMaterially({ ...credit, remaining: 0.5 }, { ...credit, remaining: 0 })).toBe(true);
    expect(creditChangedMaterially(credit, { ...credit, freeRequestsLeft: 0 })).toBe(true);
    expect(creditChangedMaterially(null, credit)).toBe(true);
  });
});

describe('shouldWriteCheck', () => {
  const now = 10 * REFRESH_WRITE_MS;
  const base = { healthChanged: false, before: credit, after: credit, writtenAt: now - 1000, now };
  it('writes a change of health or credit at once', () => {
    expect(shouldWriteCheck({ ...base, healthChanged: true })).toBe(true);
    expect(shouldWriteCheck({ ...base, after: { ...credit, limit: 5 } })).toBe(true);
  });

  it('writes an unchanged check at most once a day', () => {
    expect(shouldWriteCheck(base)).toBe(false);
    expect(shouldWriteCheck({ ...base, writtenAt: now - REFRESH_WRITE_MS })).toBe(true);
    expect(shouldWriteCheck({ ...base, writtenAt: null })).toBe(true);
  });
});
