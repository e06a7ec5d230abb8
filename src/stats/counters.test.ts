import { describe, expect, it } from 'vitest';
import {
  countersView,
  emptyCounters,
  latencyBucket,
  latencyPercentile,
  mergeCounters,
  observe,
} from './counters';

const ok = { errorClass: null, latencyMs: 120, promptTokens: 10, completionTokens: 5, cost: 0.002 };

describe('counters', () => {
  it('count successes, failures by class, tokens, cost and latency', () => {
    const c = emptyCounters(true);
    observe(c, ok);
    observe(c, {
      ...ok,
      errorClass: 'rate_limited',
      promptTokens: 0,
      completionTokens: 0,
      cost: 0,
      latencyMs: 40,
    });
    observe(c, { ...ok, errorClass: 'rate_limited', latencyMs: null });
    expect(countersView(c)).toEqual({
      requests: 3,
      success: 1,
      failed: 2,
      failures: { rate_limited: 2 },
      prompt_tokens: 20,
      completion_tokens: 10,
      cost: 0.004,
      latency_ms_avg: 80,
    });
  });

  it('merge, histograms included', () => {
    const a = emptyCounters(true);
    const b = emptyCounters(true);
    observe(a, ok);
    observe(b, { ...ok, errorClass: 'timeout', latencyMs: 30_000 });
    mergeCounters(a, b);
    expect(a.n).toBe(2);
    expect(a.f).toEqual({ timeout: 1 });
    expect(a.lh?.reduce((x, y) => x + y, 0)).toBe(2);
  });

  it('read percentiles from the histogram as bucket bounds', () => {
    expect(latencyBucket(50)).toBe(0);
    expect(latencyBucket(100)).toBe(0);
    expect(latencyBucket(101)).toBe(1);
    expect(latencyBucket(120_000)).toBe(9);
    const c = emptyCounters(true);
    for (let i = 0; i < 90; i++) observe(c, { ...ok, latencyMs: 200 });
    for (let i = 0; i < 10; i++) observe(c, { ...ok, latencyMs: 4000 });
    expect(latencyPercentile(c.lh, 0.5)).toBe(250);
    expect(latencyPercentile(c.lh, 0.95)).toBe(5000);
    expect(latencyPercentile(emptyCounters(true).lh, 0.5)).toBeNull();
  });
});
