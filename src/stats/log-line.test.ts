import { describe, expect, it } from 'vitest';
import { isoTime, type LogEntry } from './log-entry';
import { asciiJsonString, logEntryJson } from './log-line';

const entry = (over: Partial<LogEntry> = {}): LogEntry => ({
  time: '2026-11-27T08:00:00.000Z',
  route: '/chat/completions',
  client_id: 'a1b2c3d4e5f6a7b8',
  client_name: 'Zoë "the tester" \\ tab\there',
  model: 'gpt-4o',
  resolved_model: 'openai/gpt-4o',
  key_id: 'k2',
  key_hint: 'sk-or-v1-…a1b2',
  status: 200,
  attempts: 2,
  tries: [
    { key_id: 'k1', key_hint: 'sk-or-v1-…ffff', status: 429, error_class: 'rate_limited', latency_ms: 12 },
    { key_id: 'k2', key_hint: 'sk-or-v1-…a1b2', status: 200, error_class: null, latency_ms: 340 },
  ],
  latency_ms: 355,
  stream: true,
  prompt_tokens: 10,
  completion_tokens: 9,
  cost: 0.0000069,
  error_class: null,
  ...over,
});

describe('logEntryJson', () => {
  it('is the JSON of the entry, key for key and in the same order', () => {
    const e = entry();
    const line = logEntryJson(e);
    expect(JSON.stringify(JSON.parse(line))).toBe(JSON.stringify(e));
  });

  it("puts a logger's members right after `time`, so the line is made whole", () => {
    const e = entry();
    const line = logEntryJson(e, '"level":"info","msg":"request",');
    const { time, ...rest } = e;
    expect(JSON.stringify(JSON.parse(line))).toBe(
      JSON.stringify({ time, level: 'info', msg: 'request', ...rest }),
    );
  });

  it('is ASCII only, whatever the names and hints hold', () => {
    const line = logEntryJson(entry({ client_name: 'équipe 🚀 \u2028', tries: [] }));
    expect(line).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(line).client_name).toBe('équipe 🚀 \u2028');
  });

  it('writes nulls, and null for a number JSON cannot hold', () => {
    const e = entry({ client_id: null, client_name: null, key_id: null, key_hint: null, tries: [] });
    const parsed = JSON.parse(
      logEntryJson({
        ...e,
        prompt_tokens: null,
        completion_tokens: null,
        cost: Number.NaN,
        latency_ms: Infinity,
      }),
    );
    expect(parsed).toMatchObject({
      client_id: null,
      key_hint: null,
      prompt_tokens: null,
      cost: null,
      latency_ms: null,
    });
  });
});

describe('asciiJsonString', () => {
  it.each(['plain', '', 'quote " and \\ backslash', 'ctl \u0000\u001f\u007f', '…', '😀 pair', 'a\u2029b'])(
    'round-trips %j',
    (value) => {
      const json = asciiJsonString(value);
      expect(json).toMatch(/^[\x20-\x7e]*$/);
      expect(JSON.parse(json)).toBe(value);
      expect(asciiJsonString(value)).toBe(json);
    },
  );
});

describe('isoTime', () => {
  it('writes a time as toISOString does, millisecond by millisecond and across seconds', () => {
    const start = Date.UTC(2026, 11, 6, 23, 59, 58, 990);
    for (let at = start; at < start + 2_500; at += 7) expect(isoTime(at)).toBe(new Date(at).toISOString());
    for (const at of [0, 999, 1000, Date.UTC(2030, 0, 1), Date.UTC(2026, 1, 28, 12, 0, 0, 1)])
      expect(isoTime(at)).toBe(new Date(at).toISOString());
  });
});
