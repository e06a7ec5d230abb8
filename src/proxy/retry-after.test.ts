import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('retryAfterMs', () => {
  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs({ 'retry-after': '7' }, NOW)).toBe(7000);
    expect(retryAfterMs({ 'retry-after': '1.5' }, NOW)).toBe(1500);
    expect(retryAfterMs({ 'retry-after': ' 3 ' }, NOW)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': '0' }, NOW)).toBe(0);
  });

  it('reads Retry-After as an HTTP date, never negative', () => {
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, NOW)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, NOW)).toBe(0);
  });

  it('prefers retry-after-ms', () => {
    expect(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' }, NOW)).toBe(250);
    expect(retryAfterMs({ 'retry-after-ms': '12.6' }, NOW)).toBe(13);
  });

  it('falls back to Retry-After when retry-after-ms is unusable', () => {
    expect(retryAfterMs({ 'retry-after-ms': 'soon', 'retry-after': '2' }, NOW)).toBe(2000);
    expect(retryAfterMs({ 'retry-after-ms': '-5', 'retry-after': '2' }, NOW)).toBe(2000);
  });

  it('answers null when nothing usable was said', () => {
    expect(retryAfterMs({}, NOW)).toBeNull();
    expect(retryAfterMs({ 'retry-after': '' }, NOW)).toBeNull();
    expect(retryAfterMs({ 'retry-after': 'soon' }, NOW)).toBeNull();
    expect(retryAfterMs({ 'retry-after': '1e3' }, NOW)).toBeNull();
    expect(retryAfterMs({ 'retry-after': 'Infinity' }, NOW)).toBeNull();
  });
});
