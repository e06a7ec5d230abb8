import { describe, expect, it } from 'vitest';
import { GenerationKeys } from './generation-keys';

describe('GenerationKeys', () => {
  it('answers the key that served an id', () => {
    const keys = new GenerationKeys();
    keys.remember('gen-1', 'k1');
    keys.remember('gen-2', 'k2');
    expect(keys.keyOf('gen-1')).toBe('k1');
    expect(keys.keyOf('gen-2')).toBe('k2');
    expect(keys.keyOf('gen-3')).toBeUndefined();
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const keys = new GenerationKeys(3);
    for (let i = 1; i <= 5; i++) keys.remember(`gen-${i}`, `k${i}`);
    expect(keys.size).toBe(3);
    expect(keys.keyOf('gen-1')).toBeUndefined();
    expect(keys.keyOf('gen-2')).toBeUndefined();
    expect(keys.keyOf('gen-5')).toBe('k5');
  });

  it('answers the newest key of an id remembered twice', () => {
    const keys = new GenerationKeys(4);
    keys.remember('gen-1', 'k1');
    keys.remember('gen-2', 'k2');
    keys.remember('gen-1', 'k3');
    expect(keys.keyOf('gen-1')).toBe('k3');
  });

  it('keeps each of the last `capacity` ids, however many came before', () => {
    const keys = new GenerationKeys(100);
    for (let i = 0; i < 10_000; i++) keys.remember(`gen-${i}`, `k${i}`);
    for (let i = 9_900; i < 10_000; i++) expect(keys.keyOf(`gen-${i}`)).toBe(`k${i}`);
    expect(keys.keyOf('gen-9899')).toBeUndefined();
    expect(keys.size).toBe(100);
  });

  it('does not keep an absurdly long id', () => {
    const keys = new GenerationKeys();
    keys.remember('x'.repeat(10_000), 'k1');
    expect(keys.size).toBe(0);
  });
});
