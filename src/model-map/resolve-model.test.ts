import { describe, expect, it } from 'vitest';
import { buildCatalogIndex } from './catalog-index';
import { compileModelMap } from './compile-model-map';
import type { ModelMap } from './model-map';
import { resolveModel, resolveModels } from './resolve-model';
import { CATALOGUE_IDS } from './test-fixtures';

const index = buildCatalogIndex(CATALOGUE_IDS);
const map: ModelMap = {
  aliases: {
    'deepseek-coder': 'deepseek/deepseek-coder',
    'gpt-4o*': 'openai/gpt-4o*',
    'my-coder': 'deepseek/deepseek-coder',
  },
};
const compiled = compileModelMap(map);
const empty = compileModelMap({ aliases: {} });

describe('resolveModel: aliases', () => {
  it('applies an exact alias first', () => {
    expect(resolveModel('my-coder', compiled, index)).toEqual({
      id: 'deepseek/deepseek-coder',
      via: 'alias',
    });
    expect(resolveModel('deepseek-coder', compiled, index)).toEqual({
      id: 'deepseek/deepseek-coder',
      via: 'alias',
    });
  });

  it('carries a pattern capture into the target', () => {
    expect(resolveModel('gpt-4o-mini', compiled, index)).toEqual({
      id: 'openai/gpt-4o-mini',
      via: 'pattern',
    });
    expect(resolveModel('gpt-4o', compiled, index)).toEqual({ id: 'openai/gpt-4o', via: 'pattern' });
    expect(resolveModel('gpt-4o-2024-08-06', compiled, index)).toEqual({
      id: 'openai/gpt-4o-2024-08-06',
      via: 'pattern',
    });
  });

  it('does not resolve an alias target again', () => {
    const chained = compileModelMap({ aliases: { fast: 'gpt-4o-mini', 'gpt-4o-mini': 'openai/gpt-4o' } });
    expect(resolveModel('fast', chained, index)).toEqual({ id: 'gpt-4o-mini', via: 'alias' });
  });

  it('is case-sensitive for alias names', () => {
    expect(resolveModel('My-Coder', compiled, index)).toEqual({ id: 'My-Coder', via: 'unresolved' });
  });

  it('applies aliases to names holding /', () => {
    const m = compileModelMap({
      aliases: {
        'openai/gpt-4': 'openai/gpt-4o',
        'openai/o1*': 'openai/o3-mini',
        'anthropic/*': 'anthropic/*:beta',
      },
    });
    expect(resolveModel('openai/gpt-4', m, index)).toEqual({ id: 'openai/gpt-4o', via: 'alias' });
    expect(resolveModel('openai/o1-preview', m, index)).toEqual({ id: 'openai/o3-mini', via: 'pattern' });
    expect(resolveModel('anthropic/claude-3.5-sonnet', m, index)).toEqual({
      id: 'anthropic/claude-3.5-sonnet:beta',
      via: 'pattern',
    });
  });

  it('prefers an exact alias over a pattern that also matches', () => {
    const m = compileModelMap({ aliases: { 'gpt-4o*': 'openai/gpt-4o*', 'gpt-4o-mini': 'openai/gpt-4o' } });
    expect(resolveModel('gpt-4o-mini', m, index)).toEqual({ id: 'openai/gpt-4o', via: 'alias' });
  });

  it('tries the longest literal prefix first, whatever the map order', () => {
    const m = compileModelMap({
      aliases: {
        '*': 'openrouter/auto',
        'gpt-*': 'openai/gpt-*',
        'gpt-4o*': 'openai/gpt-4o*',
        'gpt-4o-mini*': 'x/mini',
      },
    });
    expect(resolveModel('gpt-4o-mini-2024-07-18', m, index).id).toBe('x/mini');
    expect(resolveModel('gpt-4o:nitro', m, index).id).toBe('openai/gpt-4o:nitro');
    expect(resolveModel('gpt-3.5-turbo', m, index).id).toBe('openai/gpt-3.5-turbo');
    expect(resolveModel('claude-3-5-sonnet', m, index)).toEqual({ id: 'openrouter/auto', via: 'pattern' });
    expect(m.patterns.map((p) => p.name)).toEqual(['gpt-4o-mini*', 'gpt-4o*', 'gpt-*', '*']);
  });

  it('breaks equal prefixes by fewer *, then more literal text, then name', () => {
    const m = compileModelMap({
      aliases: { 'llama*:free': 'a/*', 'llama*': 'b/*', 'llama*-*': 'c/*-*', 'llama*-instruct': 'd/*' },
    });
    expect(m.patterns.map((p) => p.name)).toEqual(['llama*-instruct', 'llama*:free', 'llama*', 'llama*-*']);
    expect(resolveModel('llama-3.1-8b-instruct', m, index).id).toBe('d/-3.1-8b');
    expect(resolveModel('llama-3.1-8b-instruct:free', m, index).id).toBe('a/-3.1-8b-instruct');
    expect(resolveModel('llama-3', m, index).id).toBe('b/-3');
  });

  it('accepts a plain ModelMap and compiles it once', () => {
    expect(resolveModel('gpt-4o-mini', map, index)).toEqual({ id: 'openai/gpt-4o-mini', via: 'pattern' });
    expect(resolveModel('my-coder', map, null)).toEqual({ id: 'deepseek/deepseek-coder', via: 'alias' });
  });

  it('does not treat Object.prototype members as aliases', () => {
    expect(resolveModel('constructor', empty, index)).toEqual({ id: 'constructor', via: 'unresolved' });
    expect(resolveModel('toString', map, index)).toEqual({ id: 'toString', via: 'unresolved' });
  });
});

describe('resolveModel: passthrough and catalogue', () => {
  it('passes a name with / through when no alias applies', () => {
    expect(resolveModel('openai/gpt-4o', compiled, index)).toEqual({
      id: 'openai/gpt-4o',
      via: 'passthrough',
    });
    expect(resolveModel('some/unknown-model', compiled, index)).toEqual({
      id: 'some/unknown-model',
      via: 'passthrough',
    });
    expect(resolveModel('openrouter/auto', empty, null)).toEqual({
      id: 'openrouter/auto',
      via: 'passthrough',
    });
  });

  it('resolves a bare name by exact catalogue slug', () => {
    expect(resolveModel('claude-3-5-haiku', compiled, index)).toEqual({
      id: 'anthropic/claude-3-5-haiku',
      via: 'catalog',
    });
    expect(resolveModel('deepseek-chat', compiled, index)).toEqual({
      id: 'deepseek/deepseek-chat',
      via: 'catalog',
    });
    expect(resolveModel('deepseek-chat:free', compiled, index)).toEqual({
      id: 'deepseek/deepseek-chat:free',
      via: 'catalog',
    });
    expect(resolveModel('text-embedding-3-small', compiled, index)).toEqual({
      id: 'openai/text-embedding-3-small',
      via: 'catalog',
    });
  });

  it('resolves a bare name after normalising', () => {
    expect(resolveModel('claude-3-5-sonnet', compiled, index)).toEqual({
      id: 'anthropic/claude-3.5-sonnet',
      via: 'catalog-normalized',
    });
    expect(resolveModel('claude-3-5-sonnet-20241022', compiled, index)).toEqual({
      id: 'anthropic/claude-3.5-sonnet',
      via: 'catalog-normalized',
    });
    expect(resolveModel('Qwen-2.5-Coder-32B-Instruct', compiled, index)).toEqual({
      id: 'qwen/qwen-2.5-coder-32b-instruct',
      via: 'catalog-normalized',
    });
  });

  it('resolves dated names without an alias', () => {
    expect(resolveModel('gpt-4o-2024-08-06', empty, index)).toEqual({
      id: 'openai/gpt-4o-2024-08-06',
      via: 'catalog',
    });
    const undated = buildCatalogIndex(['openai/gpt-4o']);
    expect(resolveModel('gpt-4o-2024-08-06', empty, undated)).toEqual({
      id: 'openai/gpt-4o',
      via: 'catalog-normalized',
    });
  });

  it('returns candidates when ambiguous', () => {
    expect(resolveModel('mixtral-8x7b-instruct', compiled, index)).toEqual({
      id: 'mistralai/mixtral-8x7b-instruct',
      via: 'catalog',
      candidates: ['mistralai/mixtral-8x7b-instruct', 'nousresearch/mixtral-8x7b-instruct'],
    });
  });

  it('leaves unknown names and names without a catalogue unchanged', () => {
    expect(resolveModel('gpt-5-ultra', compiled, index)).toEqual({ id: 'gpt-5-ultra', via: 'unresolved' });
    expect(resolveModel('claude-3-5-sonnet', compiled, null)).toEqual({
      id: 'claude-3-5-sonnet',
      via: 'unresolved',
    });
    expect(resolveModel('', compiled, index)).toEqual({ id: '', via: 'unresolved' });
  });

  it('never turns a plain name into a :free id', () => {
    const freeOnly = buildCatalogIndex(['meta-llama/llama-3.2-3b-instruct:free']);
    expect(resolveModel('llama-3.2-3b-instruct', empty, freeOnly)).toEqual({
      id: 'llama-3.2-3b-instruct',
      via: 'unresolved',
    });
  });
});

describe('resolveModels', () => {
  it('resolves a models fallback array element by element', () => {
    expect(
      resolveModels(
        ['my-coder', 'gpt-4o-mini', 'claude-3-5-sonnet', 'openai/gpt-4o', 'nope'],
        compiled,
        index,
      ),
    ).toEqual([
      { id: 'deepseek/deepseek-coder', via: 'alias' },
      { id: 'openai/gpt-4o-mini', via: 'pattern' },
      { id: 'anthropic/claude-3.5-sonnet', via: 'catalog-normalized' },
      { id: 'openai/gpt-4o', via: 'passthrough' },
      { id: 'nope', via: 'unresolved' },
    ]);
    expect(resolveModels([], map, index)).toEqual([]);
  });
});

describe('performance', () => {
  it('resolves quickly against a large map', () => {
    const aliases: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) aliases[`team${i}-*`] = `vendor/model-${i}-*`;
    for (let i = 0; i < 1000; i++) aliases[`exact-${i}`] = `vendor/exact-${i}`;
    const big = compileModelMap({ aliases });
    const start = performance.now();
    for (let i = 0; i < 20000; i++) resolveModel(`team${i % 1000}-x${i}`, big, index);
    expect(performance.now() - start).toBeLessThan(1500);
    expect(resolveModel('team7-fast', big, index)).toEqual({ id: 'vendor/model-7-fast', via: 'pattern' });
    expect(resolveModel('exact-9', big, index)).toEqual({ id: 'vendor/exact-9', via: 'alias' });
  });
});
