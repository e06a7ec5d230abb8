import { describe, expect, it } from 'vitest';
import { indexOfBytes } from './bytes';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('indexOfBytes', () => {
  const hay = bytes('{"error":1,"usage":{},"usage":2}');

  it('finds the first match', () => {
    expect(indexOfBytes(hay, bytes('"usage"'))).toBe(11);
    expect(indexOfBytes(hay, bytes('{'))).toBe(0);
  });

  it('searches only within the bounds given', () => {
    expect(indexOfBytes(hay, bytes('"usage"'), 12)).toBe(22);
    expect(indexOfBytes(hay, bytes('"usage"'), 0, 17)).toBe(-1);
    expect(indexOfBytes(hay, bytes('"error"'), 0, 8)).toBe(1);
  });

  it('answers -1 when there is no match or the needle is longer', () => {
    expect(indexOfBytes(hay, bytes('"model"'))).toBe(-1);
    expect(indexOfBytes(bytes('ab'), bytes('abc'))).toBe(-1);
  });
});
