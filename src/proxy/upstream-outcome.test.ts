import { describe, expect, it } from 'vitest';
import { classifyStatus } from './upstream-outcome';

describe('classifyStatus', () => {
  it('passes 2xx through', () => {
    for (const status of [200, 201, 204])
      expect(classifyStatus(status, '', null)).toEqual({ action: 'success' });
  });

  it('moves to another key and marks this one invalid on 401', () => {
    expect(classifyStatus(401, 'User not found.', null)).toEqual({
      action: 'next-key',
      event: { kind: 'unauthorized', message: 'User not found.' },
      errorClass: 'invalid_key',
    });
  });

  it('marks a key exhausted on 402 and on a 403 that is about the key limit', () => {
    for (const [status, message] of [
      [402, 'Insufficient credits'],
      [403, 'Key limit exceeded'],
      [403, 'This key has insufficient credit'],
    ] as const) {
      const outcome = classifyStatus(status, message, null);
      expect(outcome).toMatchObject({
        action: 'next-key',
        event: { kind: 'payment-required' },
        errorClass: 'no_credit',
      });
    }
  });

  it('treats a moderation 403 as the request’s fault, whatever its message', () => {
    expect(classifyStatus(403, 'Input flagged', null, true)).toEqual({
      action: 'client-error',
      errorClass: 'client_error',
    });
    expect(classifyStatus(403, 'limit exceeded', null, true)).toEqual({
      action: 'client-error',
      errorClass: 'client_error',
    });
    expect(classifyStatus(403, 'Forbidden', null)).toEqual({
      action: 'client-error',
      errorClass: 'client_error',
    });
  });

  it('cools a key down on 429 with the wait upstream asked for', () => {
    expect(classifyStatus(429, 'Rate limit exceeded', 4000)).toEqual({
      action: 'next-key',
      event: { kind: 'rate-limited', retryAfterMs: 4000, message: 'Rate limit exceeded' },
      errorClass: 'rate_limited',
    });
  });

  it('moves on without blaming the key on 408 and 5xx', () => {
    expect(classifyStatus(500, 'x', null)).toMatchObject({
      action: 'next-key',
      event: { kind: 'transient', status: 500 },
      errorClass: 'upstream_error',
    });
    expect(classifyStatus(502, 'x', null)).toMatchObject({ errorClass: 'upstream_error' });
    expect(classifyStatus(503, 'x', null)).toMatchObject({ errorClass: 'upstream_error' });
    for (const status of [408, 504, 524]) {
      expect(classifyStatus(status, 'x', null)).toMatchObject({
        action: 'next-key',
        event: { kind: 'transient' },
        errorClass: 'timeout',
      });
    }
  });

  it('hands request errors to the client without penalising any key', () => {
    for (const status of [400, 404, 405, 413, 422]) {
      expect(classifyStatus(status, 'bad request', null)).toEqual({
        action: 'client-error',
        errorClass: 'client_error',
      });
    }
  });
});
