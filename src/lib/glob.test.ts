import { describe, expect, it } from 'vitest';
import { compileGlob, countWildcards, fillGlob, globCapture, hasWildcard, matchGlob } from './glob';

describe('matchGlob', () => {
  it('matches a literal pattern only by equality', () => {
    expect(matchGlob('openai/gpt-4o', 'openai/gpt-4o')).toBe(true);
    expect(matchGlob('openai/gpt-4o', 'openai/gpt-4o-mini')).toBe(false);
    expect(matchGlob('openai/gpt-4o', 'xopenai/gpt-4o')).toBe(false);
    expect(matchGlob('', '')).toBe(true);
    expect(matchGlob('', 'a')).toBe(false);
  });

  it('lets * match any run, including / and the empty run', () => {
    expect(matchGlob('openai/*', 'openai/gpt-4o')).toBe(true);
    expect(matchGlob('openai/*', 'openai/')).toBe(true);
    expect(matchGlob('openai/*', 'openai')).toBe(false);
    expect(matchGlob('*', '')).toBe(true);
    expect(matchGlob('*', 'anything/at:all')).toBe(true);
    expect(matchGlob('*/gpt-4o', 'openai/gpt-4o')).toBe(true);
    expect(matchGlob('*/gpt-4o', 'a/b/gpt-4o')).toBe(true);
    expect(matchGlob('gpt-4o*', 'gpt-4o')).toBe(true);
    expect(matchGlob('gpt-4o*', 'gpt-4o-mini')).toBe(true);
    expect(matchGlob('gpt-4o*', 'gpt-4')).toBe(false);
  });

  it('is case-sensitive', () => {
    expect(matchGlob('openai/*', 'OpenAI/gpt-4o')).toBe(false);
    expect(matchGlob('GPT-*', 'gpt-4o')).toBe(false);
  });

  it('treats regex and other glob characters literally', () => {
    expect(matchGlob('qwen-2.5-*', 'qwen-2.5-coder-32b-instruct')).toBe(true);
    expect(matchGlob('qwen-2.5-*', 'qwen-2x5-coder')).toBe(false);
    expect(matchGlob('a?c', 'abc')).toBe(false);
    expect(matchGlob('a?c', 'a?c')).toBe(true);
    expect(matchGlob('[ab]*', 'a')).toBe(false);
    expect(matchGlob('(x)+$*', '(x)+$yz')).toBe(true);
  });

  it('handles several wildcards', () => {
    expect(matchGlob('*/*:free', 'deepseek/deepseek-chat:free')).toBe(true);
    expect(matchGlob('*/*:free', 'deepseek/deepseek-chat')).toBe(false);
    expect(matchGlob('meta-llama/*-instruct*', 'meta-llama/llama-3.1-8b-instruct:free')).toBe(true);
    expect(matchGlob('a*b*c', 'abc')).toBe(true);
    expect(matchGlob('a*b*c', 'ac')).toBe(false);
    expect(matchGlob('a*a', 'a')).toBe(false);
    expect(matchGlob('ab*ba', 'aba')).toBe(false);
    expect(matchGlob('ab*ba', 'abba')).toBe(true);
  });

  it('does not let a middle part overlap the suffix', () => {
    expect(matchGlob('*x*x', 'x')).toBe(false);
    expect(matchGlob('*x*x', 'xx')).toBe(true);
  });

  it('stays fast on adversarial input', () => {
    const value = 'a'.repeat(20000);
    const start = performance.now();
    expect(matchGlob('*a*a*a*a*a*a*a*a*b', value)).toBe(false);
    expect(performance.now() - start).toBeLessThan(100);
  });

  it('accepts a compiled pattern', () => {
    const glob = compileGlob('openai/*');
    expect(matchGlob(glob, 'openai/gpt-4o-mini')).toBe(true);
  });
});

describe('compileGlob', () => {
  it('splits a pattern and describes it', () => {
    const glob = compileGlob('gpt-4o*-x*');
    expect(glob.parts).toEqual(['gpt-4o', '-x', '']);
    expect(glob.wildcards).toBe(2);
    expect(glob.prefix).toBe('gpt-4o');
    expect(glob.literalLength).toBe(8);
  });

  it('answers the same object for the same pattern (cache)', () => {
    expect(compileGlob('deepseek/*')).toBe(compileGlob('deepseek/*'));
  });

  it('keeps working when the cache overflows', () => {
    for (let i = 0; i < 1500; i++) compileGlob(`p${i}*`);
    expect(matchGlob('p3*', 'p3-x')).toBe(true);
    expect(matchGlob('p1499*', 'p1499')).toBe(true);
  });
});

describe('globCapture', () => {
  it('returns what each * matched', () => {
    expect(globCapture('gpt-4o*', 'gpt-4o-mini')).toEqual(['-mini']);
    expect(globCapture('gpt-4o*', 'gpt-4o')).toEqual(['']);
    expect(globCapture('*/*', 'openai/gpt-4o')).toEqual(['openai', 'gpt-4o']);
    expect(globCapture('*-instruct*', 'llama-3.1-8b-instruct:free')).toEqual(['llama-3.1-8b', ':free']);
  });

  it('gives [] for a literal pattern that matches and null otherwise', () => {
    expect(globCapture('gpt-4o', 'gpt-4o')).toEqual([]);
    expect(globCapture('gpt-4o', 'gpt-4o-mini')).toBeNull();
    expect(globCapture('claude-*', 'gpt-4o')).toBeNull();
  });

  it('gives each * the shortest run, left to right', () => {
    expect(globCapture('*/*', 'a/b/c')).toEqual(['a', 'b/c']);
    expect(globCapture('*-*-*', 'x-y-z-w')).toEqual(['x', 'y', 'z-w']);
  });

  it('keeps / inside captures', () => {
    expect(globCapture('*:free', 'meta-llama/llama-3.1-8b-instruct:free')).toEqual([
      'meta-llama/llama-3.1-8b-instruct',
    ]);
  });
});

describe('fillGlob', () => {
  it('substitutes captures into the target in order', () => {
    expect(fillGlob('openai/gpt-4o*', ['-mini'])).toBe('openai/gpt-4o-mini');
    expect(fillGlob('openai/gpt-4o*', [''])).toBe('openai/gpt-4o');
    expect(fillGlob('*/*:free', ['deepseek', 'deepseek-chat'])).toBe('deepseek/deepseek-chat:free');
  });

  it('leaves a target without * unchanged and ignores extra captures', () => {
    expect(fillGlob('openrouter/auto', ['x'])).toBe('openrouter/auto');
    expect(fillGlob('vendor/*', ['a', 'b'])).toBe('vendor/a');
  });

  it('keeps a * that has no capture left', () => {
    expect(fillGlob('a*b*', ['1'])).toBe('a1b*');
    expect(fillGlob('a*', [])).toBe('a*');
  });

  it('inserts captures verbatim, even with $ patterns', () => {
    expect(fillGlob('x/*', ['$&$1'])).toBe('x/$&$1');
  });

  it('round-trips with globCapture', () => {
    const captures = globCapture('gpt-4o*', 'gpt-4o-2024-08-06');
    expect(captures).not.toBeNull();
    expect(fillGlob('openai/gpt-4o*', captures ?? [])).toBe('openai/gpt-4o-2024-08-06');
  });
});

describe('hasWildcard / countWildcards', () => {
  it('counts stars', () => {
    expect(hasWildcard('gpt-4o')).toBe(false);
    expect(hasWildcard('gpt-4o*')).toBe(true);
    expect(countWildcards('gpt-4o')).toBe(0);
    expect(countWildcards('*/*:free')).toBe(2);
  });
});
