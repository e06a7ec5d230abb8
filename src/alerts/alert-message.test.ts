import { describe, expect, it } from 'vitest';
import { alertText, webhookAccepted, webhookBody } from './alert-message';
import type { Alert } from './alert-policy';

const at = Date.UTC(2026, 11, 6, 12, 0, 0);
const dead: Alert = {
  kind: 'key_dead',
  at,
  window_minutes: 30,
  keys: [
    { hint: 'sk-or-v1-…a1b2', status: 'invalid' },
    { hint: 'sk-or-v1-…c3d4', status: 'exhausted' },
  ],
  key_count: 5,
  usable_keys: 7,
  total_keys: 12,
};

describe('alertText', () => {
  it('names the keys by hint, says how many more, in either language', () => {
    expect(alertText(dead, 'en')).toEqual({
      title: 'CloudRouter: 5 keys stopped working',
      text: 'CloudRouter: 5 keys stopped working\nsk-or-v1-…a1b2 (invalid), sk-or-v1-…c3d4 (exhausted), and 3 more. 7 of 12 keys are usable.',
    });
    expect(alertText(dead, 'zh-CN').text).toBe(
      'CloudRouter: 5 个密钥失效\nsk-or-v1-…a1b2（无效）、sk-or-v1-…c3d4（额度耗尽），另有 3 个。12 个密钥中 7 个可用。',
    );
  });

  it('quotes the error rate and the threshold as percentages', () => {
    const rate: Alert = {
      kind: 'error_rate',
      at,
      window_minutes: 15,
      requests: 80,
      failed: 20,
      error_rate: 0.25,
      threshold: 0.1,
    };
    expect(alertText(rate, 'en').text).toContain(
      '20 of 80 requests failed in the last 15 minutes (25.0%), over 10.0%.',
    );
  });
});

describe('webhookBody', () => {
  const test: Alert = { kind: 'test', at, window_minutes: 30 };
  it('takes the shape each service documents', () => {
    const text = alertText(test, 'en').text;
    expect(webhookBody('slack', test, 'en')).toEqual({ text });
    expect(webhookBody('feishu', test, 'en')).toEqual({ msg_type: 'text', content: { text } });
    expect(webhookBody('dingtalk', test, 'en')).toEqual({ msgtype: 'text', text: { content: text } });
    expect(webhookBody('wecom', test, 'en')).toEqual({ msgtype: 'text', text: { content: text } });
  });

  it('sends its own shape as plain JSON: the kind, the text and the figures', () => {
    expect(webhookBody('json', dead, 'en')).toMatchObject({
      source: 'cloudrouter',
      kind: 'key_dead',
      title: 'CloudRouter: 5 keys stopped working',
      at: '2026-12-06T12:00:00.000Z',
      key_count: 5,
      keys: dead.keys,
    });
  });
});

describe('webhookAccepted', () => {
  it('reads a bot that answers 200 with an error code as a refusal', () => {
    expect(webhookAccepted(200, '{"errcode":310000,"errmsg":"keywords not in content"}')).toEqual({
      ok: false,
      error: 'code 310000: keywords not in content',
    });
    expect(webhookAccepted(200, '{"code":19021,"msg":"sign match fail"}').ok).toBe(false);
    expect(webhookAccepted(200, '{"errcode":0,"errmsg":"ok"}').ok).toBe(true);
    expect(webhookAccepted(200, 'ok').ok).toBe(true);
    expect(webhookAccepted(404, '')).toEqual({ ok: false, error: 'HTTP 404' });
  });
});
