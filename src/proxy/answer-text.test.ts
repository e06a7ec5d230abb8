import { describe, expect, it } from 'vitest';
import { AnswerText, errorInAnswer } from './answer-text';

const answer = (value: unknown) =>
  new AnswerText(new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)));

describe('AnswerText', () => {
  it('decodes a small answer once, whole', () => {
    const small = answer({ id: 'gen-1', content: 'héllo' });
    expect(small.isWhole).toBe(true);
    expect(small.head).toBe(small.tail);
    expect(small.whole()).toBe(JSON.stringify({ id: 'gen-1', content: 'héllo' }));
  });

  it('decodes only the start and the end of a large one, and the whole on demand', () => {
    const text = JSON.stringify({ start: 'a', content: 'é'.repeat(10_000), end: 'z' });
    const large = answer(text);
    expect(large.isWhole).toBe(false);
    expect(large.head.startsWith('{"start":"a"')).toBe(true);
    expect(large.tail.endsWith('"end":"z"}')).toBe(true);
    expect(large.head.length + large.tail.length).toBeLessThan(text.length);
    expect(large.whole()).toBe(text);
  });
});

describe('errorInAnswer', () => {
  it('finds an error object in a 2xx answer, with the status from its code', () => {
    const found = errorInAnswer(answer({ error: { code: 429, message: 'Rate limited upstream' } }));
    expect(found?.status).toBe(429);
    expect(found?.body).toEqual({ error: { code: 429, message: 'Rate limited upstream' } });
  });

  it('answers 502 for an error without a usable code, and reads a large answer whole', () => {
    expect(errorInAnswer(answer({ error: { message: 'boom' } }))?.status).toBe(502);
    const large = { error: { code: 'x', message: 'm'.repeat(10_000) } };
    expect(errorInAnswer(answer(large))).toEqual({ status: 502, body: large });
  });

  it('answers null for an answer with choices or data, an error named late, or no JSON', () => {
    expect(errorInAnswer(answer({ choices: [], error: { code: 500 } }))).toBeNull();
    expect(errorInAnswer(answer({ data: [], error: { code: 500 } }))).toBeNull();
    expect(errorInAnswer(answer({ id: 'gen-1', choices: [{ text: 'an "error" word' }] }))).toBeNull();
    expect(errorInAnswer(answer({ pad: 'p'.repeat(3000), error: { code: 500 } }))).toBeNull();
    expect(errorInAnswer(answer('{"error": {"code": 500'))).toBeNull();
  });
});
