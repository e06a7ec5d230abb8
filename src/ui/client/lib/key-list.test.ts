import { describe, expect, it } from 'vitest';
import { chunks, parseKeyList } from './key-list';

describe('parseKeyList', () => {
  it('takes keys one per line, or separated by commas, semicolons and spaces', () => {
    const text = 'sk-or-v1-aaa\n  sk-or-v1-bbb, sk-or-v1-ccc;sk-or-v1-ddd\t"sk-or-v1-eee"\r\n\n';
    expect(parseKeyList(text).keys).toEqual([
      'sk-or-v1-aaa',
      'sk-or-v1-bbb',
      'sk-or-v1-ccc',
      'sk-or-v1-ddd',
      'sk-or-v1-eee',
    ]);
  });

  it('counts repeats instead of sending them twice', () => {
    expect(parseKeyList('a\nb\na\na')).toEqual({ keys: ['a', 'b'], repeats: 2 });
    expect(parseKeyList('  \n ')).toEqual({ keys: [], repeats: 0 });
  });
});

describe('chunks', () => {
  it('cuts a list into runs of at most the size', () => {
    const list = Array.from({ length: 1001 }, (_, i) => i);
    expect(chunks(list, 500).map((c) => c.length)).toEqual([500, 500, 1]);
    expect(chunks([], 500)).toEqual([]);
  });
});
