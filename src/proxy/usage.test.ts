import { describe, expect, it } from 'vitest';
import { AnswerText } from './answer-text';
import { lastChunkIdentity, usageFromSseTail, usageOfAnswer } from './usage';

const usageFromJson = (body: string | Uint8Array) =>
  usageOfAnswer(new AnswerText(typeof body === 'string' ? new TextEncoder().encode(body) : body));

const usage = { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42, cost: 0.00021 };

describe('usageOfAnswer', () => {
  it('reads the usage of a complete answer, from text or bytes', () => {
    const body = JSON.stringify({ id: 'gen-1', choices: [], usage });
    const expected = { promptTokens: 12, completionTokens: 30, totalTokens: 42, cost: 0.00021 };
    expect(usageFromJson(body)).toEqual(expected);
    expect(usageFromJson(new TextEncoder().encode(body))).toEqual(expected);
  });

  it('fills a missing total and a missing cost', () => {
    const body = JSON.stringify({ usage: { prompt_tokens: 3, completion_tokens: 4 } });
    expect(usageFromJson(body)).toEqual({ promptTokens: 3, completionTokens: 4, totalTokens: 7, cost: 0 });
  });

  it('answers null without usage or for a body that is not JSON', () => {
    expect(usageFromJson('{"id":"x"}')).toBeNull();
    expect(usageFromJson('{"usage": null}')).toBeNull();
    expect(usageFromJson('not json "usage"')).toBeNull();
  });

  it('reads the top-level usage, whatever the answer says about usage in its text', () => {
    const body = JSON.stringify({
      choices: [{ message: { content: 'the "usage": {"prompt_tokens": 999} of {braces}' } }],
      usage: { ...usage, prompt_tokens_details: { cached_tokens: 2 } },
    });
    expect(usageFromJson(body)?.promptTokens).toBe(12);
    expect(usageFromJson(JSON.stringify({ usage, choices: [{ text: '"usage"' }] }))?.totalTokens).toBe(42);
  });

  it('reads a usage that is not the last member, and one far from the end of a long answer', () => {
    expect(usageFromJson(JSON.stringify({ usage, id: 'gen-1' }))?.totalTokens).toBe(42);
    const long = JSON.stringify({ usage, choices: [{ message: { content: 'é'.repeat(5000) } }] });
    expect(usageFromJson(new TextEncoder().encode(long))?.cost).toBe(0.00021);
  });

  it('answers null for a usage object cut short, even inside its last number', () => {
    expect(usageFromJson('{"usage": {"prompt_tokens": 3, "completion')).toBeNull();
    expect(
      usageFromJson('{"usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7, "cost": 0.00'),
    ).toBeNull();
  });

  it('reads the four counts of an object cut short after them, and skips escaped quotes', () => {
    const head = '{"usage": {"note": "a \\"quoted\\" \\\\", "prompt_tokens": 3, "completion_tokens": 4,';
    expect(usageFromJson(`${head} "total_tokens": 7, "cost": 0.5, "cost_details": {"x`)).toEqual({
      promptTokens: 3,
      completionTokens: 4,
      totalTokens: 7,
      cost: 0.5,
    });
    expect(usageFromJson(`${head} "cost": 0.5}}`)?.totalTokens).toBe(7);
  });

  it('ignores fields that are not numbers', () => {
    const body = JSON.stringify({ usage: { prompt_tokens: '5', completion_tokens: null, cost: 'free' } });
    expect(usageFromJson(body)).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: 0 });
  });
});

describe('usageFromSseTail', () => {
  const chunk = (extra: object) =>
    `data: ${JSON.stringify({ id: 'gen-9', model: 'openai/gpt-4o-mini', object: 'chat.completion.chunk', ...extra })}`;

  it('reads the usage-only last chunk (choices: [])', () => {
    const tail = [
      chunk({ choices: [{ index: 0, delta: { content: 'hi' } }] }),
      '',
      chunk({ choices: [], usage }),
      '',
      'data: [DONE]',
      '',
      '',
    ].join('\n');
    expect(usageFromSseTail(tail)).toEqual({
      promptTokens: 12,
      completionTokens: 30,
      totalTokens: 42,
      cost: 0.00021,
    });
  });

  it('reads CRLF-delimited events', () => {
    const tail = `${chunk({ choices: [], usage })}\r\n\r\ndata: [DONE]\r\n\r\n`;
    expect(usageFromSseTail(tail)?.totalTokens).toBe(42);
  });

  it('answers null when no usage was sent or the tail is cut inside it', () => {
    expect(usageFromSseTail(`${chunk({ choices: [] })}\n\ndata: [DONE]\n\n`)).toBeNull();
    const cut = chunk({ choices: [], usage }).slice(0, -20);
    expect(usageFromSseTail(cut)).toBeNull();
  });
});

describe('lastChunkIdentity', () => {
  it('gives the id and model of the last data chunk', () => {
    const tail = `data: {"id":"gen-1","model":"a/b","choices":[]}\n\ndata: {"id":"gen-2","model":"c/d","choices":[]}\n\n`;
    expect(lastChunkIdentity(tail)).toEqual({ id: 'gen-2', model: 'c/d' });
  });

  it('answers nulls when there is nothing to read', () => {
    expect(lastChunkIdentity('')).toEqual({ id: null, model: null });
    expect(lastChunkIdentity(': OPENROUTER PROCESSING\n\n')).toEqual({ id: null, model: null });
  });
});
