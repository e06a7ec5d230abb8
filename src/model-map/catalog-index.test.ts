import { describe, expect, it } from 'vitest';
import { buildCatalogIndex, DEFAULT_VENDOR_PREFERENCE } from './catalog-index';
import { CATALOGUE_IDS } from './test-fixtures';

const index = buildCatalogIndex(CATALOGUE_IDS);

describe('buildCatalogIndex', () => {
  it('counts distinct ids and answers exact membership', () => {
    const idx = buildCatalogIndex([...CATALOGUE_IDS, 'openai/gpt-4o']);
    expect(idx.size).toBe(CATALOGUE_IDS.length);
    expect(idx.has('openai/gpt-4o')).toBe(true);
    expect(idx.has('gpt-4o')).toBe(false);
  });

  it('finds the id ending in /<name> exactly', () => {
    expect(index.lookup('gpt-4o')).toEqual({ id: 'openai/gpt-4o', via: 'catalog' });
    expect(index.lookup('gpt-4o-mini')).toEqual({ id: 'openai/gpt-4o-mini', via: 'catalog' });
    expect(index.lookup('deepseek-coder')).toEqual({ id: 'deepseek/deepseek-coder', via: 'catalog' });
    expect(index.lookup('text-embedding-3-small')).toEqual({
      id: 'openai/text-embedding-3-small',
      via: 'catalog',
    });
  });

  it('matches a variant only when it was asked for', () => {
    expect(index.lookup('deepseek-chat')).toEqual({ id: 'deepseek/deepseek-chat', via: 'catalog' });
    expect(index.lookup('deepseek-chat:free')).toEqual({ id: 'deepseek/deepseek-chat:free', via: 'catalog' });
    expect(index.lookup('llama-3.1-8b-instruct:free')).toEqual({
      id: 'meta-llama/llama-3.1-8b-instruct:free',
      via: 'catalog',
    });
    const freeOnly = buildCatalogIndex(['deepseek/deepseek-r1:free']);
    expect(freeOnly.lookup('deepseek-r1')).toBeNull();
    expect(index.lookup('gpt-4o:free')).toBeNull();
  });

  it('keeps a routing variant that the catalogue does not list', () => {
    expect(index.lookup('deepseek-chat:nitro')).toEqual({
      id: 'deepseek/deepseek-chat:nitro',
      via: 'catalog',
    });
    expect(index.lookup('deepseek-chat:free:floor')).toEqual({
      id: 'deepseek/deepseek-chat:free:floor',
      via: 'catalog',
    });
    expect(index.lookup('Claude-3.5-Sonnet:exacto')).toEqual({
      id: 'anthropic/claude-3.5-sonnet:exacto',
      via: 'catalog-normalized',
    });
    expect(index.lookup('no-such-model:nitro')).toBeNull();
  });

  it('normalises case and . - _', () => {
    expect(index.lookup('claude-3-5-sonnet')).toEqual({
      id: 'anthropic/claude-3.5-sonnet',
      via: 'catalog-normalized',
    });
    expect(index.lookup('claude-3.5-haiku')).toEqual({
      id: 'anthropic/claude-3-5-haiku',
      via: 'catalog-normalized',
    });
    expect(index.lookup('GPT-4o')).toEqual({ id: 'openai/gpt-4o', via: 'catalog-normalized' });
    expect(index.lookup('Llama_3_1_8B_Instruct')).toEqual({
      id: 'meta-llama/llama-3.1-8b-instruct',
      via: 'catalog-normalized',
    });
    expect(index.lookup('DeepSeek-Chat:Free')).toEqual({
      id: 'deepseek/deepseek-chat:free',
      via: 'catalog-normalized',
    });
  });

  it('ignores dated suffixes both ways, preferring an exact dated id', () => {
    expect(index.lookup('gpt-4o-2024-08-06')).toEqual({ id: 'openai/gpt-4o-2024-08-06', via: 'catalog' });
    const undated = buildCatalogIndex(['openai/gpt-4o', 'openai/gpt-4o-mini']);
    expect(undated.lookup('gpt-4o-2024-08-06')).toEqual({ id: 'openai/gpt-4o', via: 'catalog-normalized' });
    const datedOnly = buildCatalogIndex(['openai/gpt-4o-2024-08-06', 'openai/gpt-4o-mini']);
    expect(datedOnly.lookup('gpt-4o')).toEqual({ id: 'openai/gpt-4o-2024-08-06', via: 'catalog-normalized' });
    expect(index.lookup('claude-3-5-sonnet-20241022')).toEqual({
      id: 'anthropic/claude-3.5-sonnet',
      via: 'catalog-normalized',
    });
  });

  it('prefers the undated id among several dated matches', () => {
    const result = index.lookup('gpt-4o-2024-11-20');
    expect(result).toEqual({
      id: 'openai/gpt-4o',
      via: 'catalog-normalized',
      candidates: ['openai/gpt-4o', 'openai/gpt-4o-2024-08-06'],
    });
  });

  it('treats -latest like no suffix', () => {
    expect(index.lookup('claude-3-5-sonnet-latest')).toEqual({
      id: 'anthropic/claude-3.5-sonnet',
      via: 'catalog-normalized',
    });
    expect(index.lookup('claude-3-5-haiku-latest')).toEqual({
      id: 'anthropic/claude-3-5-haiku',
      via: 'catalog-normalized',
    });
    const latest = buildCatalogIndex(['openai/chatgpt-4o-latest']);
    expect(latest.lookup('chatgpt-4o-latest')).toEqual({ id: 'openai/chatgpt-4o-latest', via: 'catalog' });
    expect(latest.lookup('chatgpt-4o')).toEqual({
      id: 'openai/chatgpt-4o-latest',
      via: 'catalog-normalized',
    });
  });

  it('ignores a pinned -001 version both ways', () => {
    expect(index.lookup('gemini-2.0-flash')).toEqual({
      id: 'google/gemini-2.0-flash-001',
      via: 'catalog-normalized',
    });
    expect(index.lookup('gemini-2.0-flash-001')).toEqual({
      id: 'google/gemini-2.0-flash-001',
      via: 'catalog',
    });
  });

  it('does not cross model families or sizes', () => {
    expect(index.lookup('gpt-4')).toBeNull();
    expect(index.lookup('claude-3-5')).toBeNull();
    expect(index.lookup('llama-3.1-70b-instruct')).toBeNull();
    expect(index.lookup('qwen-2.5-coder-7b-instruct')).toBeNull();
    expect(index.lookup('deepseek')).toBeNull();
  });

  it('picks by vendor preference when ambiguous and lists all candidates', () => {
    expect(index.lookup('mixtral-8x7b-instruct')).toEqual({
      id: 'mistralai/mixtral-8x7b-instruct',
      via: 'catalog',
      candidates: ['mistralai/mixtral-8x7b-instruct', 'nousresearch/mixtral-8x7b-instruct'],
    });
  });

  it('follows a custom vendor preference', () => {
    const custom = buildCatalogIndex(CATALOGUE_IDS, { vendorPreference: ['nousresearch'] });
    expect(custom.lookup('mixtral-8x7b-instruct')?.id).toBe('nousresearch/mixtral-8x7b-instruct');
  });

  it('breaks ties between unlisted vendors by length, then alphabetically', () => {
    const idx = buildCatalogIndex([
      'zeta/foo',
      'alpha/foo',
      'longvendor/foo',
      'beta/foo',
      'openai/foo-2024-01-01',
    ]);
    expect(idx.lookup('foo')).toEqual({
      id: 'beta/foo',
      via: 'catalog',
      candidates: ['beta/foo', 'zeta/foo', 'alpha/foo', 'longvendor/foo'],
    });
    // A listed vendor outranks unlisted ones, even with a longer id.
    expect(idx.lookup('foo-2025-01-01')?.id).toBe('openai/foo-2024-01-01');
  });

  it('gives earlier catalogue steps priority over ambiguity in later ones', () => {
    const idx = buildCatalogIndex(['nousresearch/hermes-3', 'openai/Hermes-3']);
    expect(idx.lookup('hermes-3')).toEqual({ id: 'nousresearch/hermes-3', via: 'catalog' });
  });

  it('answers null for names with / , empty names, and an empty catalogue', () => {
    expect(index.lookup('openai/gpt-4o')).toBeNull();
    expect(index.lookup('')).toBeNull();
    expect(buildCatalogIndex([]).lookup('gpt-4o')).toBeNull();
  });

  it('ignores ids without a vendor or with an empty slug', () => {
    const idx = buildCatalogIndex(['gpt-4o', 'openai/']);
    expect(idx.lookup('gpt-4o')).toBeNull();
    expect(idx.has('gpt-4o')).toBe(true);
  });

  it('returns a fresh candidates array each time', () => {
    const a = index.lookup('mixtral-8x7b-instruct');
    a?.candidates?.push('x/y');
    expect(index.lookup('mixtral-8x7b-instruct')?.candidates).toHaveLength(2);
  });

  it('exports a default preference with the major model makers first', () => {
    expect(DEFAULT_VENDOR_PREFERENCE.slice(0, 8)).toEqual([
      'openai',
      'anthropic',
      'google',
      'meta-llama',
      'mistralai',
      'deepseek',
      'qwen',
      'x-ai',
    ]);
  });

  it('builds and looks up quickly at catalogue scale', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `vendor${i % 50}/model-${i}-instruct`);
    const start = performance.now();
    const big = buildCatalogIndex(ids);
    for (let i = 0; i < 10000; i++) big.lookup(`Model-${i % 5000}.instruct`);
    expect(performance.now() - start).toBeLessThan(500);
    expect(big.lookup('model-42-instruct')?.id).toBe('vendor42/model-42-instruct');
  });
});
