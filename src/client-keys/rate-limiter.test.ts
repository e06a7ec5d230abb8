import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

const T0 = 5_000_000;

describe('RateLimiter', () => {
  it('lets rpm requests through in a minute and refuses the next one until the oldest is a minute old', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('a', 3, T0)).toBe(0);
    expect(limiter.take('a', 3, T0 + 10_000)).toBe(0);
    expect(limiter.take('a', 3, T0 + 20_000)).toBe(0);
    expect(limiter.take('a', 3, T0 + 30_000)).toBe(30_000);
    expect(limiter.take('a', 3, T0 + 59_999)).toBe(1);
    expect(limiter.take('a', 3, T0 + 60_000)).toBe(0);
    // The window slides: the next slot frees at the second request's minute.
    expect(limiter.take('a', 3, T0 + 60_001)).toBe(9_999);
    expect(limiter.take('a', 3, T0 + 70_000)).toBe(0);
  });

  it('does not count refused requests', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('a', 1, T0)).toBe(0);
    for (let i = 1; i <= 100; i++) expect(limiter.take('a', 1, T0 + i * 100)).toBeGreaterThan(0);
    expect(limiter.take('a', 1, T0 + 60_000)).toBe(0);
  });

  it('never lets more than rpm requests through in any 60-second window', () => {
    const limiter = new RateLimiter();
    const admitted: number[] = [];
    for (let t = 0; t < 5 * 60_000; t += 250) if (limiter.take('k', 10, T0 + t) === 0) admitted.push(T0 + t);
    for (let i = 10; i < admitted.length; i++)
      expect(admitted[i] - admitted[i - 10]).toBeGreaterThanOrEqual(60_000);
    expect(admitted.length).toBe(50);
  });

  it('keeps each client key separate', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('a', 1, T0)).toBe(0);
    expect(limiter.take('b', 1, T0)).toBe(0);
    expect(limiter.take('a', 1, T0)).toBe(60_000);
    expect(limiter.take('b', 1, T0 + 1)).toBe(59_999);
  });

  it('applies a raised rpm at once, counting the requests already made', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('a', 2, T0)).toBe(0);
    expect(limiter.take('a', 2, T0 + 1)).toBe(0);
    expect(limiter.take('a', 2, T0 + 2)).toBeGreaterThan(0);
    expect(limiter.take('a', 4, T0 + 3)).toBe(0);
    expect(limiter.take('a', 4, T0 + 4)).toBe(0);
    expect(limiter.take('a', 4, T0 + 5)).toBe(59_995);
  });

  it('applies a lowered rpm at once: a lower limit does not start a fresh minute', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 5; i++) expect(limiter.take('a', 5, T0 + i * 1000)).toBe(0);
    expect(limiter.take('a', 2, T0 + 5000)).toBe(58_000);
    expect(limiter.take('a', 2, T0 + 63_000)).toBe(0);
    expect(limiter.take('a', 2, T0 + 63_001)).toBe(999);
  });
});
