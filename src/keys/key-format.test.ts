import { describe, expect, it } from 'vitest';
import { keyFormatProblem, sortImport } from './key-format';

describe('keyFormatProblem', () => {
  it('accepts an OpenRouter-shaped key', () => {
    expect(keyFormatProblem(`sk-or-v1-${'a1'.repeat(32)}`)).toBeNull();
  });

  it('refuses control characters, non-ASCII, spaces and lengths out of bounds', () => {
    expect(keyFormatProblem('sk-or-v1-\u0007bell')).toMatch(/control character/);
    expect(keyFormatProblem('sk-or-v1-ключ-key')).toMatch(/outside printable ASCII/);
    expect(keyFormatProblem('sk-or v1-abcdef')).toMatch(/whitespace/);
    expect(keyFormatProblem('sk-a')).toMatch(/shorter than 8/);
    expect(keyFormatProblem('x'.repeat(201))).toMatch(/longer than 200/);
  });
});

describe('sortImport', () => {
  it('keeps the well-formed keys, trimmed, and reports each refused one by index without the key', () => {
    const result = sortImport([
      '  sk-or-v1-good-one\n',
      'sk-or-v1-\u0000nul',
      '',
      'sk-or-v1-δ-bad',
      'sk-or-v1-ok-two',
    ]);
    expect(result.accepted).toEqual(['sk-or-v1-good-one', 'sk-or-v1-ok-two']);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 3]);
    expect(JSON.stringify(result.rejected)).not.toContain('sk-or');
  });
});
