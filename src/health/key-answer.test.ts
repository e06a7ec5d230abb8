import { describe, expect, it } from 'vitest';
import { keyData } from '../../test/mock-openrouter/payloads';
import { validator } from '../../test/mock-openrouter/specs';
import { interpretKeyAnswer } from './key-answer';

const NOW = Date.UTC(2026, 4, 13, 15, 30);
const answer = (overrides: Parameters<typeof keyData>[1]) => {
  const body = { data: keyData('sk-or-v1-test', overrides) };
  validator('openrouter GetCurrentKeyResponse')(body);
  return body;
};

describe('interpretKeyAnswer', () => {
  it('reads a healthy key as check-ok, with its credit', () => {
    const result = interpretKeyAnswer(
      200,
      answer({ limit: 20, usage: 5, usage_daily: 1, usage_monthly: 4 }),
      NOW,
    );
    expect(result.event).toEqual({ kind: 'check-ok' });
    expect(result.credit).toEqual({
      limit: 20,
      remaining: 15,
      reset: null,
      usage: 5,
      usageDaily: 1,
      usageMonthly: 4,
      freeTier: false,
      expiresAt: null,
      freeRequestsLeft: 1000,
    });
  });

  it('reads a spent limit as payment-required until the next reset', () => {
    const result = interpretKeyAnswer(
      200,
      answer({ limit: 10, limit_remaining: 0, limit_reset: 'daily' }),
      NOW,
    );
    expect(result.event).toMatchObject({ kind: 'payment-required', resetAt: Date.UTC(2026, 4, 14) });
    expect(result.credit?.remaining).toBe(0);
  });

  it('keeps a key without a limit active whatever its usage', () => {
    expect(interpretKeyAnswer(200, answer({ limit: null, usage: 1e6 }), NOW).event.kind).toBe('check-ok');
  });

  it('reads 401 as unauthorized with the upstream message, and an expired key too', () => {
    const dead = interpretKeyAnswer(401, { error: { code: 401, message: 'User not found.' } }, NOW);
    expect(dead.event).toEqual({ kind: 'unauthorized', message: 'User not found.' });
    const expired = interpretKeyAnswer(200, answer({ expires_at: '2026-05-01T00:00:00Z' }), NOW);
    expect(expired.event.kind).toBe('unauthorized');
  });

  it('reads a management (provisioning) key as unauthorized, with a reason that says so', () => {
    const result = interpretKeyAnswer(
      200,
      answer({ is_management_key: true, is_provisioning_key: true }),
      NOW,
    );
    expect(result.event.kind).toBe('unauthorized');
    expect(result.event).toMatchObject({ message: expect.stringMatching(/management/i) });
  });

  it('reads 402 as payment-required', () => {
    expect(interpretKeyAnswer(402, null, NOW).event.kind).toBe('payment-required');
  });

  it('reads 5xx, 429, a bad body and no answer as check-failed (no penalty)', () => {
    expect(interpretKeyAnswer(503, null, NOW).event).toEqual({
      kind: 'check-failed',
      status: 503,
      message: 'GET /key answered 503',
    });
    expect(interpretKeyAnswer(429, null, NOW).event.kind).toBe('check-failed');
    expect(interpretKeyAnswer(200, { nope: 1 }, NOW).event.kind).toBe('check-failed');
    expect(interpretKeyAnswer(null, null, NOW, 'timed out').event).toEqual({
      kind: 'check-failed',
      status: null,
      message: 'timed out',
    });
  });
});
