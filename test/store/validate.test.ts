import { describe, expect, it } from 'vitest';
import {
  compareNames,
  prefixUpperBound,
  StoreError,
  validateList,
  validatePut,
} from '../../src/store/validate';

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('compareNames', () => {
  it('orders like UTF-8 bytes, not UTF-16 units', () => {
    const set = ['a', 'B', '', 'ab', 'a\u0000', '\uFFFD', '\uE000', '\uD7FF', '😀', '𝄞', 'é', 'z'];
    expect([...set].sort(compareNames)).toEqual([...set].sort(utf8Order));
    expect(compareNames('\uFFFD', '😀')).toBeLessThan(0);
    expect(compareNames('x', 'x')).toBe(0);
  });
});

describe('prefixUpperBound', () => {
  it('increments the last code point', () => {
    expect(prefixUpperBound('key:')).toBe('key;');
    expect(prefixUpperBound('a\uD7FF')).toBe('a\uE000');
    expect(prefixUpperBound('a😀')).toBe('a😁');
    expect(prefixUpperBound(`a${String.fromCodePoint(0x10ffff)}`)).toBe('b');
    expect(prefixUpperBound('')).toBeNull();
    expect(prefixUpperBound(String.fromCodePoint(0x10ffff))).toBeNull();
  });
});

describe('validatePut / validateList', () => {
  it('truncates a fractional ttl and serialises value and meta', () => {
    expect(validatePut('k', { a: 1 }, { ttlSeconds: 60.9, meta: { m: true } })).toEqual({
      json: '{"a":1}',
      metaJson: '{"m":true}',
      ttlSeconds: 60,
    });
    expect(() => validatePut('k', 1, { ttlSeconds: 59.9 })).toThrow(StoreError);
  });

  it('defaults the limit to 1000 and an empty cursor to null', () => {
    expect(validateList('')).toEqual({ limit: 1000, cursor: null });
    expect(validateList('p', { cursor: '' })).toEqual({ limit: 1000, cursor: null });
  });

  it('carries the status KV would answer', () => {
    expect(() => validatePut('x'.repeat(513), 1)).toThrow(expect.objectContaining({ status: 414 }));
    expect(() => validatePut('k', 1, { meta: 'x'.repeat(1100) })).toThrow(
      expect.objectContaining({ status: 413 }),
    );
  });
});
