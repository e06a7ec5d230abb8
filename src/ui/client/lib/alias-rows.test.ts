import { describe, expect, it } from 'vitest';
import { changed, mapOf, newRow, rowProblems, rowsOf } from './alias-rows';

describe('alias rows', () => {
  it('round-trip a map in order', () => {
    const stored = { 'gpt-4o*': 'openai/gpt-4o*', coder: 'deepseek/deepseek-coder' };
    const rows = rowsOf(stored);
    expect(mapOf(rows)).toEqual({ aliases: stored });
    expect(changed(rows, stored)).toBe(false);
    expect(changed([...rows, newRow('a', 'b/c')], stored)).toBe(true);
  });

  it('flag empty and repeated names before the server sees them', () => {
    const rows = [newRow('a', 'x/a'), newRow(' a ', 'x/b'), newRow('b', ' ')];
    const problems = rowProblems(rows);
    expect(problems.get(rows[0].key)).toBeUndefined();
    expect(problems.get(rows[1].key)).toBe('duplicate');
    expect(problems.get(rows[2].key)).toBe('empty');
  });
});
