import { describe, expect, it } from 'vitest';
import { fillGlob, globCapture } from '../lib/glob';
import { compileModelMap, matchAlias } from './compile-model-map';

describe('compileModelMap', () => {
  it('splits exact names from patterns', () => {
    const compiled = compileModelMap({
      aliases: {
        'deepseek-coder': 'deepseek/deepseek-coder',
        'gpt-4o*': 'openai/gpt-4o*',
        'my-coder': 'deepseek/deepseek-coder',
      },
    });
    expect([...compiled.exact.keys()]).toEqual(['deepseek-coder', 'my-coder']);
    expect(compiled.patterns.map((p) => p.name)).toEqual(['gpt-4o*']);
    expect(compiled.groups).toHaveLength(1);
  });

  it('groups patterns by prefix length, longest first', () => {
    const compiled = compileModelMap({
      aliases: { '*': 'a/b', 'gpt-*': 'openai/gpt-*', 'o1*': 'openai/o1*', 'gpt-4o*': 'x/*' },
    });
    expect(compiled.groups.map((g) => g.length)).toEqual([6, 4, 2, 0]);
    expect([...compiled.groups[1].byPrefix.keys()]).toEqual(['gpt-']);
  });
});

describe('matchAlias', () => {
  it('answers null when nothing applies', () => {
    expect(matchAlias(compileModelMap({ aliases: {} }), 'gpt-4o')).toBeNull();
    expect(matchAlias(compileModelMap({ aliases: { 'gpt-4o*': 'openai/gpt-4o*' } }), 'gpt-4')).toBeNull();
  });

  it('agrees with a plain scan of the sorted patterns', () => {
    // Deterministic pseudo-random maps and names over a small alphabet, so prefixes collide often.
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (len: number) => Array.from({ length: len }, () => 'ab-*'[rand(4)]).join('');
    for (let round = 0; round < 50; round++) {
      const aliases: Record<string, string> = {};
      for (let i = 0; i < 30; i++) {
        const name = word(1 + rand(6)).replace(/\*+/g, '*');
        aliases[name] = `t${i}/${'*'.repeat(Math.min(1, name.split('*').length - 1))}`;
      }
      const compiled = compileModelMap({ aliases });
      for (let i = 0; i < 40; i++) {
        const name = word(rand(8)).replace(/\*/g, 'c');
        const expected = compiled.exact.has(name)
          ? { id: compiled.exact.get(name), via: 'alias' }
          : (() => {
              for (const p of compiled.patterns) {
                const captures = globCapture(p.glob, name);
                if (captures) return { id: fillGlob(p.target, captures), via: 'pattern' };
              }
              return null;
            })();
        expect(matchAlias(compiled, name)).toEqual(expected);
      }
    }
  });
});
