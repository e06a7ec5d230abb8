import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('lets the free failures be 401s, then a failure while waiting is a 429 and doubles the wait', () => {
    const throttle = new LoginThrottle({ freeTries: 2, baseMs: 1000, maxMs: 4000 });
    expect(throttle.failed('a', 0)).toBe(0);
    expect(throttle.failed('a', 0)).toBe(0);
    expect(throttle.failed('a', 0)).toBe(0); // the third failure imposes a 1 s wait
    expect(throttle.failed('a', 500)).toBe(2000); // waiting: 429; now 2 s from 500
    expect(throttle.failed('a', 2500)).toBe(0); // the wait had passed: 401, imposes 4 s
    expect(throttle.failed('a', 2501)).toBe(4000); // capped at 4 s
    expect(throttle.failed('a', 10_000)).toBe(0);
  });

  it('keeps clients apart and forgets a client after a success', () => {
    const throttle = new LoginThrottle({ freeTries: 1 });
    throttle.failed('a', 0);
    throttle.failed('a', 0);
    expect(throttle.failed('a', 10)).toBeGreaterThan(0);
    expect(throttle.failed('b', 10)).toBe(0);
    throttle.succeeded('a');
    expect(throttle.failed('a', 10)).toBe(0);
  });

  it('forgets old failures and stays bounded', () => {
    const throttle = new LoginThrottle({ freeTries: 1, forgetMs: 1000, maxClients: 2 });
    throttle.failed('a', 0);
    throttle.failed('a', 0);
    expect(throttle.failed('a', 1500)).toBe(0);
    throttle.failed('b', 0);
    throttle.failed('b', 0);
    throttle.failed('c', 0);
    throttle.failed('d', 0); // 'b' is the oldest and goes
    expect(throttle.failed('b', 1)).toBe(0);
  });
});
