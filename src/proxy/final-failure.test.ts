import { describe, expect, it } from 'vitest';
import { errorAnswer } from '../errors';
import { type AttemptFailure, finalFailure } from './final-failure';
import { classifyTransportFailure, classifyUpstreamError } from './upstream-error';

const now = 1_000_000;
const failure = (
  hint: string,
  status: number,
  message: string,
  model = 'openai/gpt-4o-mini',
): AttemptFailure => {
  const body = { error: { code: status, message } };
  return { hint, status, body, verdict: classifyUpstreamError({ status, error: body.error, now, model }) };
};

describe('finalFailure', () => {
  it('never answers an upstream 401 or 402 as such: no usable key is a 503 naming the hints tried', () => {
    const out = finalFailure({
      why: 'no-key',
      failures: [
        failure('sk-or-v1-…aaaa', 401, 'User not found.'),
        failure('sk-or-v1-…bbbb', 402, 'Insufficient credits'),
      ],
      backInMs: null,
    });
    expect(out.error.status).toBe(503);
    expect(out.error.code).toBe('no_available_keys');
    expect(out.error.message).toContain('sk-or-v1-…aaaa (401 invalid_key)');
    expect(out.error.message).toContain('sk-or-v1-…bbbb (402 no_credit)');
  });

  it('every key rate limited: 429 with Retry-After, from when the first is back', () => {
    const out = finalFailure({
      why: 'no-key',
      failures: [failure('sk-or-v1-…aaaa', 429, 'Rate limit exceeded')],
      backInMs: 12_300,
    });
    expect(out.error).toMatchObject({ status: 429, code: 'all_keys_rate_limited', type: 'rate_limit_error' });
    expect(errorAnswer(out.error).headers['retry-after']).toBe('13');
  });

  it('provider failures are 502, timeouts 504, with the upstream’s metadata kept', () => {
    const bad: AttemptFailure = {
      ...failure('sk-or-v1-…aaaa', 503, 'Provider overloaded'),
      body: { error: { code: 503, message: 'Provider overloaded', metadata: { raw: 'x' } } },
    };
    const out = finalFailure({ why: 'budget', failures: [failure('h1', 401, 'x'), bad], backInMs: null });
    expect(out.error).toMatchObject({ status: 502, code: 'upstream_error', type: 'server_error' });
    expect(out.error.extra.metadata).toEqual({ raw: 'x' });
    const slow: AttemptFailure = {
      hint: 'h2',
      status: null,
      body: null,
      verdict: classifyTransportFailure('timeout', 'no headers in 300 ms'),
    };
    expect(finalFailure({ why: 'budget', failures: [slow], backInMs: null }).error).toMatchObject({
      status: 504,
      code: 'upstream_timeout',
    });
  });

  it('a request too big for every key is a 400 the client can act on', () => {
    const message =
      'This request requires more credits, or fewer max_tokens. You requested up to 64000 tokens, but can only afford 100.';
    const out = finalFailure({
      why: 'no-key',
      failures: [failure('h1', 402, message), failure('h2', 402, message)],
      backInMs: null,
    });
    expect(out.error).toMatchObject({
      status: 400,
      code: 'request_unaffordable',
      type: 'invalid_request_error',
    });
    expect(out.errorClass).toBe('unaffordable');
  });

  it('refused for every key’s account: the refusal, as OpenRouter gave it', () => {
    const out = finalFailure({
      why: 'no-key',
      failures: [failure('h1', 404, 'No endpoints found matching your data policy')],
      backInMs: null,
    });
    expect(out.error.status).toBe(404);
    expect(out.error.message).toMatch(/^No endpoints found matching your data policy; keys tried: h1/);
  });

  it('the deadline: 504 deadline_exceeded', () => {
    expect(finalFailure({ why: 'deadline', failures: [], backInMs: null }).error).toMatchObject({
      status: 504,
      code: 'deadline_exceeded',
    });
  });
});
