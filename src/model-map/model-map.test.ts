import { describe, expect, it } from 'vitest';
import { EMPTY_MODEL_MAP, MODEL_MAP_LIMITS, parseModelMap } from './model-map';

const CONTRACT_EXAMPLE = {
  aliases: { 'deepseek-coder': 'deepseek/deepseek-coder', 'gpt-4o*': 'openai/gpt-4o*' },
};

function errorOf(input: unknown): string {
  const result = parseModelMap(input);
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

describe('parseModelMap', () => {
  it('accepts the contract example unchanged', () => {
    expect(parseModelMap(CONTRACT_EXAMPLE)).toEqual({ ok: true, map: CONTRACT_EXAMPLE });
  });

  it('accepts an empty map', () => {
    expect(parseModelMap({ aliases: {} })).toEqual({ ok: true, map: { aliases: {} } });
    expect(EMPTY_MODEL_MAP).toEqual({ aliases: {} });
  });

  it('trims names and targets and keeps their order', () => {
    const result = parseModelMap({
      aliases: { ' my-coder ': ' deepseek/deepseek-coder\n', 'gpt-4o*': 'openai/gpt-4o*' },
    });
    expect(result).toEqual({
      ok: true,
      map: { aliases: { 'my-coder': 'deepseek/deepseek-coder', 'gpt-4o*': 'openai/gpt-4o*' } },
    });
    expect(result.ok && Object.keys(result.map.aliases)).toEqual(['my-coder', 'gpt-4o*']);
  });

  it('returns a copy, not the input', () => {
    const input = { aliases: { a: 'x/a' } };
    const result = parseModelMap(input);
    expect(result.ok && result.map.aliases).not.toBe(input.aliases);
  });

  it('accepts patterns with fewer or as many * in the target, and names with /', () => {
    expect(parseModelMap({ aliases: { '*': 'openrouter/auto' } }).ok).toBe(true);
    expect(parseModelMap({ aliases: { '*/*:free': '*/*:free' } }).ok).toBe(true);
    expect(parseModelMap({ aliases: { 'openai/gpt-4': 'openai/gpt-4o' } }).ok).toBe(true);
  });

  it('rejects anything but an object', () => {
    for (const input of [null, undefined, 'x', 42, [], [{ aliases: {} }]]) {
      expect(errorOf(input)).toBe('the model map must be a JSON object like {"aliases": {"name": "target"}}');
    }
  });

  it('rejects a missing or malformed aliases', () => {
    const message = 'aliases must be an object of "name": "target" strings';
    expect(errorOf({})).toBe(message);
    expect(errorOf({ aliases: null })).toBe(message);
    expect(errorOf({ aliases: ['gpt-4o'] })).toBe(message);
    expect(errorOf({ aliases: 'gpt-4o=openai/gpt-4o' })).toBe(message);
  });

  it('rejects unknown top-level fields', () => {
    expect(errorOf({ aliases: {}, patterns: {} })).toBe(
      'unknown field "patterns"; the model map holds only "aliases"',
    );
  });

  it('rejects targets that are not non-empty strings', () => {
    expect(errorOf({ aliases: { 'gpt-4o*': '' } })).toBe('aliases["gpt-4o*"] must be a non-empty string');
    expect(errorOf({ aliases: { 'gpt-4o*': '   ' } })).toBe('aliases["gpt-4o*"] must be a non-empty string');
    expect(errorOf({ aliases: { x: 42 } })).toBe('aliases["x"] must be a non-empty string');
    expect(errorOf({ aliases: { x: null } })).toBe('aliases["x"] must be a non-empty string');
    expect(errorOf({ aliases: { x: ['openai/gpt-4o'] } })).toBe('aliases["x"] must be a non-empty string');
  });

  it('rejects empty names', () => {
    expect(errorOf({ aliases: { '': 'openai/gpt-4o' } })).toBe('aliases has an empty name');
    expect(errorOf({ aliases: { '  ': 'openai/gpt-4o' } })).toBe('aliases has an empty name');
  });

  it('rejects names that collide once trimmed', () => {
    expect(errorOf({ aliases: { 'gpt-4o': 'openai/gpt-4o', ' gpt-4o': 'openai/gpt-4o-mini' } })).toBe(
      'aliases[" gpt-4o"]: the name "gpt-4o" appears twice once spaces are trimmed',
    );
  });

  it('rejects whitespace inside, control characters, non-ASCII and **', () => {
    expect(errorOf({ aliases: { 'gpt 4o': 'openai/gpt-4o' } })).toBe(
      'aliases["gpt 4o"]: the name must be printable ASCII without spaces or control characters',
    );
    expect(errorOf({ aliases: { x: 'openai/gpt\t4o' } })).toBe(
      'aliases["x"]: the target must be printable ASCII without spaces or control characters',
    );
    expect(errorOf({ aliases: { 模型: 'openai/gpt-4o' } })).toBe(
      'aliases["模型"]: the name must be printable ASCII without spaces or control characters',
    );
    expect(errorOf({ aliases: { x: 'openai/模型' } })).toBe(
      'aliases["x"]: the target must be printable ASCII without spaces or control characters',
    );
    expect(errorOf({ aliases: { 'gpt**': 'openai/gpt*' } })).toBe(
      'aliases["gpt**"]: the name holds "**"; use a single "*"',
    );
  });

  it('rejects a target with more * than its name', () => {
    expect(errorOf({ aliases: { 'gpt-4o*': 'openai/*/gpt-4o*' } })).toBe(
      'aliases["gpt-4o*"]: the target "openai/*/gpt-4o*" holds 2 "*" but the name holds 1; ' +
        'each "*" of a target is filled by the matching "*" of its name',
    );
    expect(errorOf({ aliases: { 'gpt-4o': 'openai/gpt-4o*' } })).toContain(
      'holds 1 "*" but the name holds 0',
    );
  });

  it('enforces the length limits', () => {
    const long = 'x'.repeat(MODEL_MAP_LIMITS.maxNameLength + 1);
    expect(parseModelMap({ aliases: { ['x'.repeat(200)]: 'a/b' } }).ok).toBe(true);
    expect(errorOf({ aliases: { [long]: 'a/b' } })).toBe(
      `aliases["${'x'.repeat(57)}..."]: the name is 201 characters long; at most 200 are allowed`,
    );
    expect(errorOf({ aliases: { a: `v/${long}` } })).toBe(
      'aliases["a"]: the target is 203 characters long; at most 200 are allowed',
    );
  });

  it('allows 2,000 aliases and rejects more', () => {
    const make = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i}`, `v/m${i}`]));
    expect(parseModelMap({ aliases: make(2000) }).ok).toBe(true);
    expect(errorOf({ aliases: make(2001) })).toBe('aliases has 2001 entries; at most 2000 are allowed');
  });

  it('keeps a "__proto__" name as a plain key', () => {
    const input = JSON.parse('{"aliases": {"__proto__": "openai/gpt-4o"}}') as unknown;
    const result = parseModelMap(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.map.aliases)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(result.map.aliases)).toBe(Object.prototype);
  });

  it('round-trips through JSON', () => {
    const result = parseModelMap(JSON.parse(JSON.stringify(CONTRACT_EXAMPLE)));
    expect(result.ok && JSON.stringify(result.map)).toBe(JSON.stringify(CONTRACT_EXAMPLE));
  });
});
