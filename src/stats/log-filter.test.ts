import { describe, expect, it } from 'vitest';
import type { LogEntry } from './log-entry';
import { matchesLog, matchesStatus } from './log-filter';

const entry = (over: Partial<LogEntry> = {}): LogEntry => ({
  time: '2026-12-06T12:00:00.000Z',
  route: '/chat/completions',
  client_id: 'c1',
  client_name: 'app',
  model: 'fast',
  resolved_model: 'openai/gpt-4o-mini',
  key_id: 'k2',
  key_hint: 'sk-or-v1-…0002',
  status: 200,
  attempts: 2,
  tries: [
    { key_id: 'k1', key_hint: 'sk-or-v1-…0001', status: 429, error_class: 'rate_limited', latency_ms: 4 },
    { key_id: 'k2', key_hint: 'sk-or-v1-…0002', status: 200, error_class: null, latency_ms: 30 },
  ],
  latency_ms: 36,
  stream: false,
  prompt_tokens: 5,
  completion_tokens: 9,
  cost: 0.0001,
  error_class: null,
  ...over,
});
const any = { status: null, client: null, model: null, key: null };

describe('matchesStatus', () => {
  it('takes failures, successes, a class or one code', () => {
    const failed = entry({ status: 503, error_class: 'no_available_keys' });
    expect(matchesStatus(failed, 'error')).toBe(true);
    expect(matchesStatus(failed, 'success')).toBe(false);
    expect(matchesStatus(failed, '5xx')).toBe(true);
    expect(matchesStatus(failed, '4xx')).toBe(false);
    expect(matchesStatus(failed, '503')).toBe(true);
    expect(matchesStatus(entry(), '2xx')).toBe(true);
  });
});

describe('matchesLog', () => {
  it('finds a request by any key it tried, not only the one that answered', () => {
    expect(matchesLog(entry(), { ...any, key: 'k1' })).toBe(true);
    expect(matchesLog(entry(), { ...any, key: 'k2' })).toBe(true);
    expect(matchesLog(entry(), { ...any, key: 'k3' })).toBe(false);
  });

  it('finds a model by the name asked or the one it resolved to', () => {
    expect(matchesLog(entry(), { ...any, model: 'fast' })).toBe(true);
    expect(matchesLog(entry(), { ...any, model: 'openai/gpt-4o-mini' })).toBe(true);
    expect(matchesLog(entry(), { ...any, model: 'openai/gpt-4o' })).toBe(false);
  });

  it('needs every field given to match', () => {
    expect(matchesLog(entry(), { ...any, client: 'c1', status: 'success' })).toBe(true);
    expect(matchesLog(entry(), { ...any, client: 'c2', status: 'success' })).toBe(false);
    expect(matchesLog(entry(), { ...any, client: 'c1', status: 'error' })).toBe(false);
  });
});
