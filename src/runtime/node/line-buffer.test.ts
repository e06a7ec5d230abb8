import { describe, expect, it } from 'vitest';
import { LineBuffer } from './line-buffer';

describe('LineBuffer', () => {
  it('hands over what was added, UTF-8 encoded, then starts empty', () => {
    const lines = new LineBuffer();
    expect(lines.take()).toBeNull();
    lines.add('{"a":1}\n');
    lines.add('{"hint":"sk-or-v1-…a1b2","name":"Zoë 🚀"}\n');
    expect(lines.take()?.toString('utf8')).toBe('{"a":1}\n{"hint":"sk-or-v1-…a1b2","name":"Zoë 🚀"}\n');
    expect(lines.isEmpty).toBe(true);
    expect(lines.take()).toBeNull();
  });

  it('never changes bytes it handed over, even when it needs a larger slab', () => {
    const lines = new LineBuffer();
    lines.add('first\n');
    const first = lines.take();
    const big = `${'x'.repeat(200_000)}\n`;
    lines.add('second\n');
    lines.add(big);
    lines.add('third\n');
    expect(first?.toString()).toBe('first\n');
    expect(lines.take()?.toString()).toBe(`second\n${big}third\n`);
  });
});
