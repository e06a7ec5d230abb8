import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('lets the free tries through, then makes each failure wait twice as long', () => {
    const throttle = new LoginThrottle({ freeTries: 2, baseMs: 1000, maxMs: 4000 });
    expect(throttle.begin('a', 0)).toBeNull();
    expect(throttle.begin('a', 0)).toBeNull();
    expect(throttle.begin('a', 0)).toBeNull(); // third try allowed; it imposes a 1 s wait
    expect(throttle.begin('a', 500)).toBe(500);
    expect(throttle.begin('a', 1000)).toBeNull(); // imposes 2 s
    expect(throttle.begin('a', 2999)).toBe(1);
    expect(throttle.begin('a', 3000)).toBeNull(); // imposes 4 s
    expect(throttle.begin('a', 7000)).toBeNull(); // capped at 4 s
    expect(throttle.begin('a', 10_999)).toBe(1);
  });

  it('keeps clients apart and forgets a client after a success', () => {
    const throttle = new LoginThrottle({ freeTries: 1 });
    throttle.begin('a', 0);
    throttle.begin('a', 0);
    expect(throttle.begin('a', 10)).toBeGreaterThan(0);
    expect(throttle.begin('b', 10)).toBeNull();
    throttle.succeeded('a');
    expect(throttle.begin('a', 10)).toBeNull();
  });

  it('counts parallel tries before any of them is answered', () => {
    const throttle = new LoginThrottle({ freeTries: 3 });
    const answers = Array.from({ length: 10 }, () => throttle.begin('a', 0));
    expect(answers.filter((a) => a === null)).toHaveLength(4);
  });

  it('forgets old failures and stays bounded', () => {
    const throttle = new LoginThrottle({ freeTries: 1, forgetMs: 1000, maxClients: 2 });
    throttle.begin('a', 0);
    throttle.begin('a', 0);
    expect(throttle.begin('a', 1500)).toBeNull();
    throttle.begin('b', 0);
    throttle.begin('b', 0);
    throttle.begin('c', 0);
    throttle.begin('d', 0); // 'b' is the oldest and goes
    expect(throttle.begin('b', 1)).toBeNull();
  });
});
