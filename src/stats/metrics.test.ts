import { describe, expect, it } from 'vitest';
import { renderMetrics } from './metrics';
import { addRecord, emptyBucket } from './stats-bucket';
import { failedRecord, okRecord } from './test-records';

describe('renderMetrics', () => {
  it('writes Prometheus text: counters, a cumulative histogram, key gauges, escaped labels', () => {
    const lifetime = emptyBucket(0);
    addRecord(lifetime, okRecord(0, { resolvedModel: 'weird"model' }), {
      promptTokens: 3,
      completionTokens: 4,
      totalTokens: 7,
      cost: 0.25,
    });
    addRecord(lifetime, failedRecord(0, 'rate_limited'), null);
    const text = renderMetrics({
      lifetime,
      keys: { active: 2, cooldown: 0, invalid: 1, exhausted: 0, disabled: 0 },
      startedAt: 1_700_000_000_000,
    });
    expect(text).toContain('cloudrouter_requests_total{outcome="success"} 1\n');
    expect(text).toContain('cloudrouter_request_failures_total{class="rate_limited"} 1\n');
    expect(text).toContain('cloudrouter_tokens_total{kind="completion"} 4\n');
    expect(text).toContain('cloudrouter_cost_usd_total 0.25\n');
    expect(text).toContain('cloudrouter_request_duration_seconds_bucket{le="0.1"} 0\n');
    expect(text).toContain('cloudrouter_request_duration_seconds_bucket{le="0.25"} 2\n');
    expect(text).toContain('cloudrouter_request_duration_seconds_bucket{le="+Inf"} 2\n');
    expect(text).toContain('cloudrouter_model_requests_total{model="weird\\"model"} 1\n');
    expect(text).toContain('cloudrouter_keys{status="invalid"} 1\n');
    for (const line of text.trim().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? [-+.\deE]+)$/);
  });
});
