import { describe, expect, it } from 'vitest';
import { looseKey, slugOf, splitRoutingVariant, splitVariant, stemKey, vendorOf } from './model-name';

describe('vendorOf / slugOf', () => {
  it('splits an OpenRouter id', () => {
    expect(vendorOf('openai/gpt-4o')).toBe('openai');
    expect(slugOf('openai/gpt-4o')).toBe('gpt-4o');
    expect(slugOf('deepseek/deepseek-chat:free')).toBe('deepseek-chat:free');
  });

  it('handles names without a vendor', () => {
    expect(vendorOf('gpt-4o')).toBe('');
    expect(slugOf('gpt-4o')).toBe('gpt-4o');
  });
});

describe('splitVariant', () => {
  it('separates the variant, colon included', () => {
    expect(splitVariant('deepseek-chat:free')).toEqual({ base: 'deepseek-chat', variant: ':free' });
    expect(splitVariant('deepseek-chat')).toEqual({ base: 'deepseek-chat', variant: '' });
  });
});

describe('splitRoutingVariant', () => {
  it('splits off only routing variants', () => {
    expect(splitRoutingVariant('deepseek-chat:nitro')).toEqual({ rest: 'deepseek-chat', routing: ':nitro' });
    expect(splitRoutingVariant('deepseek-chat:free:floor')).toEqual({
      rest: 'deepseek-chat:free',
      routing: ':floor',
    });
    expect(splitRoutingVariant('deepseek-chat:free')).toEqual({ rest: 'deepseek-chat:free', routing: '' });
    expect(splitRoutingVariant(':nitro')).toEqual({ rest: ':nitro', routing: '' });
  });
});

describe('looseKey', () => {
  it('ignores case and treats . - _ alike', () => {
    expect(looseKey('claude-3-5-sonnet')).toBe(looseKey('claude-3.5-sonnet'));
    expect(looseKey('Claude_3.5_Sonnet')).toBe('claude-3-5-sonnet');
    expect(looseKey('Qwen-2.5-Coder-32B-Instruct')).toBe('qwen-2-5-coder-32b-instruct');
  });

  it('keeps the variant', () => {
    expect(looseKey('DeepSeek-Chat:FREE')).toBe('deepseek-chat:free');
    expect(looseKey('deepseek-chat')).not.toBe(looseKey('deepseek-chat:free'));
  });
});

describe('stemKey', () => {
  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['command-r-08-2024', 'command-r'],
    ['gemini-2.5-pro-preview-05-06', 'gemini-2-5-pro-preview'],
    ['gpt-4-0613', 'gpt-4'],
    ['mistral-large-2407', 'mistral-large'],
    ['gemini-2.0-flash-001', 'gemini-2-0-flash'],
    ['gpt-4o', 'gpt-4o'],
  ])('%s -> %s', (slug, stem) => {
    expect(stemKey(slug)).toBe(stem);
  });

  it('does not strip sizes or short version numbers', () => {
    expect(stemKey('llama-3.1-8b-instruct')).toBe('llama-3-1-8b-instruct');
    expect(stemKey('llama-3.1-405b')).toBe('llama-3-1-405b');
    expect(stemKey('claude-3-5-haiku')).toBe('claude-3-5-haiku');
    expect(stemKey('qwen-2.5-coder-32b-instruct')).toBe('qwen-2-5-coder-32b-instruct');
    expect(stemKey('minimax-01')).toBe('minimax-01');
  });

  it('strips only one suffix and keeps the variant', () => {
    expect(stemKey('gpt-4o-2024-08-06:free')).toBe('gpt-4o:free');
    expect(stemKey('-latest')).toBe('-latest');
  });
});
