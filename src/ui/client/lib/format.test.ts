import { describe, expect, it } from 'vitest';
import { compact, duration, money, moneyShort, percent } from './format';

describe('formatting (English)', () => {
  it('shows money in cents, and fractions of a cent with two significant digits', () => {
    expect(money(12.5)).toBe('$12.50');
    expect(money(0)).toBe('$0.00');
    expect(money(0.000082)).toBe('$0.000082');
    expect(money(null)).toBe('—');
  });

  it('shortens big figures', () => {
    expect(moneyShort(6970)).toBe('$6.97K');
    expect(moneyShort(999.5)).toBe('$999.50');
    expect(compact(1_234_567)).toBe('1.2M');
  });

  it('shows rates and durations', () => {
    expect(percent(3, 45)).toBe('6.7%');
    expect(percent(1, 0)).toBe('—');
    expect(duration(850)).toBe('850 ms');
    expect(duration(2400)).toBe('2.4 s');
  });
});
