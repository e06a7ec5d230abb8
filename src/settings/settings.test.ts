import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { AppError } from '../errors';
import { effectiveSettings, parseSettings } from './settings';

const config = parseConfig({ KEY_STRATEGY: 'random', MAX_ATTEMPTS: '3' });

function rejects(body: unknown, message: RegExp): void {
  try {
    parseSettings(body, {});
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    expect((err as AppError).message).toMatch(message);
    return;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('effectiveSettings', () => {
  it('uses the configuration where nothing overrides it', () => {
    expect(effectiveSettings(config, {})).toEqual({
      key_strategy: 'random',
      max_attempts: 3,
      upstream_timeout_ms: 30_000,
      request_deadline_ms: 120_000,
      conversation_affinity: true,
      retry_empty_answers: false,
    });
  });

  it('lets overrides win', () => {
    const settings = effectiveSettings(config, { key_strategy: 'sticky', upstream_timeout_ms: 500 });
    expect(settings).toMatchObject({ key_strategy: 'sticky', max_attempts: 3, upstream_timeout_ms: 500 });
  });
});

describe('parseSettings', () => {
  it('merges a change into the current overrides', () => {
    expect(parseSettings({ max_attempts: 5 }, { key_strategy: 'sticky' })).toEqual({
      key_strategy: 'sticky',
      max_attempts: 5,
    });
  });

  it('resets a field to the configured default with null', () => {
    const next = parseSettings(
      { key_strategy: null, max_attempts: null },
      { key_strategy: 'sticky', max_attempts: 2 },
    );
    expect(next).toEqual({});
    expect(effectiveSettings(config, next).key_strategy).toBe('random');
  });

  it('turns conversation affinity off and back to the configured value', () => {
    const off = parseSettings({ conversation_affinity: false }, {});
    expect(effectiveSettings(config, off).conversation_affinity).toBe(false);
    const back = parseSettings({ conversation_affinity: null }, off);
    expect(back).toEqual({});
    expect(effectiveSettings(config, back).conversation_affinity).toBe(true);
    rejects({ conversation_affinity: 'no' }, /"conversation_affinity" must be true or false/);
  });

  it('does not change the overrides it was given', () => {
    const current = { max_attempts: 2 };
    parseSettings({ max_attempts: 7 }, current);
    expect(current).toEqual({ max_attempts: 2 });
  });

  it('says what is wrong with a bad body', () => {
    rejects([], /the body must be a JSON object/);
    rejects({ strategy: 'random' }, /unknown field "strategy"/);
    rejects({ key_strategy: 'fastest' }, /"key_strategy" must be one of round-robin, random, sticky/);
    rejects({ max_attempts: 0 }, /"max_attempts" must be a whole number from 1 to 20, or null/);
    rejects({ max_attempts: 1.5 }, /"max_attempts" must be a whole number from 1 to 20/);
    rejects({ max_attempts: 21 }, /"max_attempts" must be a whole number from 1 to 20/);
    rejects({ upstream_timeout_ms: 5 }, /"upstream_timeout_ms" must be a whole number from 100 to 600000/);
    rejects({ upstream_timeout_ms: 1e10 }, /"upstream_timeout_ms" must be a whole number from 100 to 600000/);
    rejects({ request_deadline_ms: 99 }, /"request_deadline_ms" must be a whole number from 100 to 3600000/);
    rejects(
      { request_deadline_ms: 2 ** 31 },
      /"request_deadline_ms" must be a whole number from 100 to 3600000/,
    );
    rejects({ upstream_timeout_ms: '500' }, /"upstream_timeout_ms" must be a whole number/);
  });
});
