import { describe, expect, it } from 'vitest';
import { redactSecret } from './redact-secret';

const SECRET = 'sk-or-v1-0123456789abcdef';
const HINT = 'sk-or-v1-…cdef';

describe('redactSecret', () => {
  it('replaces the key in nested messages and metadata', () => {
    const body = { error: { message: `bad key ${SECRET}`, metadata: { raw: [SECRET, 'x'] } } };
    expect(redactSecret(body, SECRET, HINT)).toEqual({
      error: { message: `bad key ${HINT}`, metadata: { raw: [HINT, 'x'] } },
    });
  });

  it('replaces the key in a string', () => {
    expect(redactSecret(`a ${SECRET} b ${SECRET}`, SECRET, HINT)).toBe(`a ${HINT} b ${HINT}`);
  });

  it('answers a body without the key as it is', () => {
    const body = { error: { message: 'fine' } };
    expect(redactSecret(body, SECRET, HINT)).toBe(body);
    expect(redactSecret(null, SECRET, HINT)).toBeNull();
  });
});
