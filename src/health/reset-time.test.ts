import { describe, expect, it } from 'vitest';
import { nextResetAt } from './reset-time';

// Wednesday 2026-05-13, 15:30 UTC.
const NOW = Date.UTC(2026, 4, 13, 15, 30);

describe('nextResetAt', () => {
  it('reads OpenRouter’s limit_reset as the next UTC boundary', () => {
    expect(nextResetAt('daily', NOW)).toBe(Date.UTC(2026, 4, 14));
    expect(nextResetAt('weekly', NOW)).toBe(Date.UTC(2026, 4, 18));
    expect(nextResetAt('monthly', NOW)).toBe(Date.UTC(2026, 5, 1));
    expect(nextResetAt('Monthly', Date.UTC(2026, 11, 31, 23))).toBe(Date.UTC(2027, 0, 1));
  });

  it('moves a week on from a Monday, and a day on at midnight itself', () => {
    expect(nextResetAt('weekly', Date.UTC(2026, 4, 18))).toBe(Date.UTC(2026, 4, 25));
    expect(nextResetAt('weekly', Date.UTC(2026, 4, 17, 23))).toBe(Date.UTC(2026, 4, 18));
    expect(nextResetAt('daily', Date.UTC(2026, 4, 14))).toBe(Date.UTC(2026, 4, 15));
  });

  it('answers null for a limit that never resets or an unknown value', () => {
    expect(nextResetAt(null, NOW)).toBeNull();
    expect(nextResetAt('yearly', NOW)).toBeNull();
  });
});
