import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, SETTINGS, splitKeys } from './index';

function configError(env: Record<string, unknown>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe('parseConfig defaults', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      authKey: null,
      openrouterBaseUrl: 'https://openrouter.ai/api/v1',
      openrouterKeys: [],
      upstreamTimeoutMs: 30_000,
      maxAttempts: 4,
      keyStrategy: 'round-robin',
      maxBodyBytes: 10_485_760,
      logLevel: 'info',
      port: 8787,
      host: '127.0.0.1',
      dataDir: './data',
      metricsPublic: false,
      xTitle: 'CloudRouter',
      httpReferer: '',
    });
  });

  it('has a default and a description for every setting, each named once', () => {
    const names = SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of SETTINGS) expect(s.doc.length).toBeGreaterThan(5);
  });

  it('treats blank values as unset', () => {
    expect(parseConfig({ PORT: '  ', AUTH_KEY: '', LOG_LEVEL: '' })).toMatchObject({
      port: 8787,
      authKey: null,
      logLevel: 'info',
    });
  });
});

describe('parseConfig values', () => {
  it('reads and trims the values given', () => {
    const config = parseConfig({
      AUTH_KEY: ' my-admin-key ',
      PORT: '0',
      HOST: '0.0.0.0',
      DATA_DIR: '/tmp/cr',
      OPENROUTER_BASE_URL: 'http://127.0.0.1:9999/api/v1/',
      KEY_STRATEGY: 'Sticky',
      METRICS_PUBLIC: 'yes',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      authKey: 'my-admin-key',
      port: 0,
      host: '0.0.0.0',
      dataDir: '/tmp/cr',
      openrouterBaseUrl: 'http://127.0.0.1:9999/api/v1',
      keyStrategy: 'sticky',
      metricsPublic: true,
      logLevel: 'debug',
    });
  });

  it('keeps an AUTH_KEY whatever character it starts with', () => {
    expect(parseConfig({ AUTH_KEY: '(secret)' }).authKey).toBe('(secret)');
  });

  it('accepts Workers vars given as JSON numbers and booleans', () => {
    const config = parseConfig({ MAX_ATTEMPTS: 6, METRICS_PUBLIC: true, ROUTER_KV: {} });
    expect(config.maxAttempts).toBe(6);
    expect(config.metricsPublic).toBe(true);
  });

  it('splits OPENROUTER_KEYS on commas and newlines, dropping blanks and duplicates', () => {
    expect(parseConfig({ OPENROUTER_KEYS: 'sk-a, sk-b\n\nsk-c,,sk-a\r\n' }).openrouterKeys).toEqual([
      'sk-a',
      'sk-b',
      'sk-c',
    ]);
    expect(splitKeys('')).toEqual([]);
  });
});

describe('parseConfig validation', () => {
  it('rejects PORT=abc with one clear line', () => {
    const err = configError({ PORT: 'abc' });
    expect(err.message).toBe('PORT must be a whole number, got "abc"');
    expect(err.message).not.toContain('\n');
  });

  it('names the setting, the rule and the bad value', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: '70000' }, /^PORT must be between 0 and 65535, got 70000$/],
      [{ PORT: '-1' }, /^PORT must be a whole number/],
      [{ PORT: '80.5' }, /^PORT must be a whole number/],
      [{ MAX_ATTEMPTS: '0' }, /^MAX_ATTEMPTS must be between 1 and 20/],
      [{ MAX_ATTEMPTS: '21' }, /^MAX_ATTEMPTS must be between 1 and 20/],
      [{ UPSTREAM_TIMEOUT_MS: '5' }, /^UPSTREAM_TIMEOUT_MS must be between 100/],
      [
        { KEY_STRATEGY: 'fastest' },
        /^KEY_STRATEGY must be one of round-robin, random, sticky, got "fastest"$/,
      ],
      [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of debug, info, warn, error/],
      [{ METRICS_PUBLIC: 'maybe' }, /^METRICS_PUBLIC must be true or false, got "maybe"$/],
      [{ OPENROUTER_BASE_URL: 'ftp://example.com' }, /^OPENROUTER_BASE_URL must be an http\(s\) URL/],
      [
        { OPENROUTER_BASE_URL: 'not a url' },
        /^OPENROUTER_BASE_URL must be an http\(s\) URL, got "not a url"$/,
      ],
      [{ MAX_BODY_BYTES: '10' }, /^MAX_BODY_BYTES must be between 1024/],
    ];
    for (const [env, message] of cases) {
      const err = configError(env);
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain('\n');
    }
  });
});
