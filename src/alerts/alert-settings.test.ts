import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS, parseAlertSettings } from './alert-settings';

const parse = (body: unknown) => parseAlertSettings(body, DEFAULT_ALERT_SETTINGS);

describe('parseAlertSettings', () => {
  it('takes webhooks with a format, and keeps the fields not given', () => {
    const next = parse({
      webhooks: [
        { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc', format: 'feishu' },
        { url: 'http://127.0.0.1:9000/hook' },
      ],
      max_error_rate: 0.25,
    });
    expect(next.webhooks).toEqual([
      { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc', format: 'feishu' },
      { url: 'http://127.0.0.1:9000/hook', format: 'json' },
    ]);
    expect(next.max_error_rate).toBe(0.25);
    expect(next.window_minutes).toBe(DEFAULT_ALERT_SETTINGS.window_minutes);
  });

  it('turns a rule off with null', () => {
    expect(parse({ min_usable_keys: null, min_credit: null }).min_usable_keys).toBeNull();
  });

  it('says what is wrong', () => {
    expect(() => parse({ webhooks: [{ url: 'ftp://x/y' }] })).toThrow(
      /must start with https:\/\/ or http:\/\//,
    );
    expect(() => parse({ webhooks: [{ url: 'not a url' }] })).toThrow(/is not a URL/);
    expect(() => parse({ webhooks: [{ url: 'https://u:p@x.example/' }] })).toThrow(/user name or password/);
    expect(() => parse({ webhooks: [{ url: 'https://x.example/', format: 'teams' }] })).toThrow(/format/);
    expect(() => parse({ webhooks: Array(11).fill({ url: 'https://x.example/' }) })).toThrow(/at most 10/);
    expect(() => parse({ max_error_rate: 1.5 })).toThrow(
      /"max_error_rate" must be a number above 0 and at most 1/,
    );
    expect(() => parse({ window_minutes: 0 })).toThrow(/"window_minutes" must be a whole number/);
    expect(() => parse({ window_minutes: null })).toThrow(/cannot be null/);
    expect(() => parse({ lang: 'fr' })).toThrow(/"lang" must be one of en, zh-CN/);
    expect(() => parse({ secret: 1 })).toThrow(/unknown field "secret"/);
  });
});
