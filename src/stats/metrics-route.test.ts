import { describe, expect, it } from 'vitest';
import { isMetricsUrl } from './metrics-route';

describe('isMetricsUrl', () => {
  it('matches the /metrics path only, with or without a query', () => {
    expect(isMetricsUrl('http://127.0.0.1:8787/metrics')).toBe(true);
    expect(isMetricsUrl('http://[::1]:8787/metrics?x=1')).toBe(true);
    expect(isMetricsUrl('http://127.0.0.1:8787/metricsx')).toBe(false);
    expect(isMetricsUrl('http://127.0.0.1:8787/metrics/x')).toBe(false);
    expect(isMetricsUrl('http://127.0.0.1:8787/v1/metrics')).toBe(false);
    expect(isMetricsUrl('http://127.0.0.1:8787/')).toBe(false);
    expect(isMetricsUrl('http://127.0.0.1:8787')).toBe(false);
  });
});
