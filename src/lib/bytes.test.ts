import { describe, expect, it } from 'vitest';
import { indexOfBytes, lastIndexOfBytes } from './bytes';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('byte searches', () => {
  const hay = bytes('{"error":1,"usage":{},"usage":2}');

  it('find the first and the last match', () => {
    expect(indexOfBytes(hay, bytes('"usage"'))).toBe(11);
    expect(lastIndexOfBytes(hay, bytes('"usage"'))).toBe(22);
    expect(indexOfBytes(hay, bytes('{'))).toBe(0);
    expect(lastIndexOfBytes(hay, bytes('}'))).toBe(hay.length - 1);
  });

  it('search only within the bounds given', () => {
    expect(indexOfBytes(hay, bytes('"usage"'), 12)).toBe(22);
    expect(indexOfBytes(hay, bytes('"usage"'), 0, 17)).toBe(-1);
    expect(indexOfBytes(hay, bytes('"error"'), 0, 8)).toBe(1);
  });

  it('answer -1 when there is no match or the needle is longer', () => {
    expect(indexOfBytes(hay, bytes('"model"'))).toBe(-1);
    expect(lastIndexOfBytes(hay, bytes('"model"'))).toBe(-1);
    expect(indexOfBytes(bytes('ab'), bytes('abc'))).toBe(-1);
    expect(lastIndexOfBytes(bytes('ab'), bytes('abc'))).toBe(-1);
  });
});
