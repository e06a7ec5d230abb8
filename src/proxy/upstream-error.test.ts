import { describe, expect, it } from 'vitest';
import { classifyTransportFailure, classifyUpstreamError, nextMidnightUtc } from './upstream-error';

const now = Date.UTC(2026, 11, 6, 13, 0, 0);
const paid = 'openai/gpt-4o-mini';
const free = 'meta-llama/llama-3.3-70b-instruct:free';
const classify = (
  status: number,
  error: unknown,
  extra: { headers?: Record<string, string>; model?: string } = {},
) => classifyUpstreamError({ status, error, now, model: extra.model ?? paid, headers: extra.headers });

describe('classifyUpstreamError', () => {
  it('401: the key is invalid; the next key is tried and the attempt is not a costly one', () => {
    expect(classify(401, { code: 401, message: 'User not found.' })).toMatchObject({
      errorClass: 'invalid_key',
      action: 'next-key',
      costly: false,
      event: { kind: 'unauthorized', message: 'User not found.' },
    });
  });

  it('402 for the key’s credit: exhausted, and its credit is checked at once', () => {
    expect(classify(402, { code: 402, message: 'Insufficient credits' })).toMatchObject({
      errorClass: 'no_credit',
      action: 'next-key',
      costly: false,
      checkKey: true,
      event: { kind: 'payment-required' },
    });
  });

  it('402 for this request’s size: no key is blamed, nothing is checked', () => {
    const message =
      'This request requires more credits, or fewer max_tokens. You requested up to 64000 tokens, but can only afford 1200.';
    expect(classify(402, { code: 402, message })).toMatchObject({
      errorClass: 'unaffordable',
      action: 'next-key',
      costly: false,
      checkKey: false,
      event: null,
    });
  });

  it('reads typed metadata before the status', () => {
    // A 400 whose metadata says payment_required is about credit, not the request.
    expect(classify(400, { message: 'x', metadata: { error_type: 'payment_required' } }).errorClass).toBe(
      'no_credit',
    );
    // Anthropic's error types.
    expect(classify(500, { type: 'rate_limit_error', message: 'slow down' }).errorClass).toBe('rate_limited');
    expect(classify(400, { type: 'authentication_error', message: 'bad key' }).errorClass).toBe(
      'invalid_key',
    );
    expect(classify(500, { type: 'overloaded_error', message: 'busy' })).toMatchObject({
      errorClass: 'upstream_error',
      costly: true,
    });
    // A Responses error code.
    expect(classify(200, { code: 'rate_limit_exceeded', message: 'too many' }).errorClass).toBe(
      'rate_limited',
    );
    expect(
      classify(502, { metadata: { error_type: 'context_length_exceeded' }, message: 'long' }),
    ).toMatchObject({
      errorClass: 'client_error',
      action: 'client-error',
    });
  });

  it('429 on a paid model cools the key for Retry-After, else for X-RateLimit-Reset', () => {
    expect(
      classify(429, { message: 'Rate limit exceeded' }, { headers: { 'retry-after': '30' } }),
    ).toMatchObject({
      errorClass: 'rate_limited',
      event: { kind: 'rate-limited', retryAfterMs: 30_000 },
      retryAfterMs: 30_000,
    });
    const reset = String(now + 12_000);
    expect(
      classify(429, { message: 'Rate limit exceeded' }, { headers: { 'x-ratelimit-reset': reset } }),
    ).toMatchObject({
      event: { kind: 'rate-limited', retryAfterMs: 12_000 },
    });
  });

  it('429 on a free model rests the key for free models only: until the reset, else midnight UTC for the daily quota', () => {
    const reset = now + 40_000;
    expect(
      classify(
        429,
        { message: 'Rate limit exceeded: free-models-per-min.' },
        {
          model: free,
          headers: { 'x-ratelimit-reset': String(reset) },
        },
      ),
    ).toMatchObject({
      errorClass: 'free_limited',
      event: { kind: 'free-limited', until: reset },
      costly: false,
    });
    expect(
      classify(
        429,
        {
          message:
            'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day',
        },
        { model: free },
      ),
    ).toMatchObject({ event: { kind: 'free-limited', until: Date.UTC(2026, 11, 7) } });
    // OpenRouter repeats the rate-limit headers in the error's metadata.
    const inMetadata = {
      message: 'Rate limit exceeded',
      metadata: { headers: { 'X-RateLimit-Reset': String(reset) } },
    };
    expect(classify(429, inMetadata, { model: free })).toMatchObject({ event: { until: reset } });
    // Paid traffic of that key goes on: only a free-model rest.
    expect(classify(429, inMetadata, { model: free }).event?.kind).toBe('free-limited');
  });

  it('a management key is invalid, whether it hears 401 or 403', () => {
    for (const status of [401, 403])
      expect(classify(status, { message: 'Management keys cannot be used for inference' }).errorClass).toBe(
        'invalid_key',
      );
  });

  it('the data-policy 404 and a guardrail or key-limit 403 move on, remembered for the key and model', () => {
    for (const [status, message] of [
      [
        404,
        'No endpoints found matching your data policy (Free model publication). Configure: https://openrouter.ai/settings/privacy',
      ],
      [403, 'The model openai/gpt-4o-mini is not allowed by your guardrail'],
      [403, 'Key limit exceeded'],
    ] as const) {
      expect(classify(status, { code: status, message })).toMatchObject({
        errorClass: 'key_refused',
        action: 'next-key',
        costly: false,
        event: { kind: 'refused', model: paid, status },
      });
    }
  });

  it('the request’s own faults are passed once, no key concerned', () => {
    for (const [status, message] of [
      [404, 'No endpoints found for nope/model'],
      [400, "This endpoint's maximum context length is 128000 tokens"],
      [413, 'Request too large'],
      [422, 'Unprocessable'],
    ] as const) {
      expect(classify(status, { code: status, message })).toMatchObject({
        errorClass: 'client_error',
        action: 'client-error',
        event: null,
      });
    }
  });

  it('moderation is the request’s fault, whatever its words say about credits', () => {
    const error = {
      code: 403,
      message:
        'openai/gpt-4o-mini requires moderation on OpenAI. Your input was flagged for "violence". No credits were charged.',
      metadata: { reasons: ['violence'], flagged_input: 'x', provider_name: 'OpenAI', model_slug: paid },
    };
    expect(classify(403, error)).toMatchObject({
      errorClass: 'moderation',
      action: 'client-error',
      event: null,
    });
    // The same object met as a 200 body or a stream event carries its code as the status.
    expect(classify(403, { ...error, metadata: undefined }).errorClass).toBe('moderation');
  });

  it('5xx and timeouts are costly and leave the key as it is', () => {
    expect(classify(503, { message: 'No provider' })).toMatchObject({
      errorClass: 'upstream_error',
      costly: true,
      event: { kind: 'transient', status: 503 },
    });
    for (const status of [408, 504, 524])
      expect(classify(status, null)).toMatchObject({ errorClass: 'timeout', costly: true });
    expect(classifyTransportFailure('network', 'reset')).toMatchObject({
      errorClass: 'network',
      costly: true,
    });
  });
});

describe('nextMidnightUtc', () => {
  it('is the start of the next UTC day', () => {
    expect(nextMidnightUtc(Date.UTC(2026, 11, 31, 23, 59))).toBe(Date.UTC(2027, 0, 1));
    expect(nextMidnightUtc(Date.UTC(2026, 11, 6))).toBe(Date.UTC(2026, 11, 7));
  });
});
