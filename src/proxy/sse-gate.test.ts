import { describe, expect, it } from 'vitest';
import { type GateVerdict, SseGate } from './sse-gate';

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (text: string) => enc.encode(text);
const textOf = (verdict: GateVerdict) =>
  'chunks' in verdict ? verdict.chunks.map((c) => dec.decode(c)).join('') : '';

const data = `data: ${JSON.stringify({ id: 'gen-1', choices: [{ index: 0, delta: { content: 'Hi' } }] })}\n\n`;
const error = `data: ${JSON.stringify({ error: { code: 429, message: 'Rate limit exceeded' } })}\n\n`;

describe('SseGate', () => {
  it('forwards comment lines at once and commits on the first data event', () => {
    const gate = new SseGate();
    const comment = gate.feed(bytes(': OPENROUTER PROCESSING\n\n'));
    expect(comment.kind).toBe('forward');
    expect(textOf(comment)).toBe(': OPENROUTER PROCESSING\n\n');
    const first = gate.feed(bytes(data));
    expect(first.kind).toBe('commit');
    expect(textOf(first)).toBe(data);
  });

  it('holds an incomplete event until it ends, then hands over the same bytes', () => {
    const gate = new SseGate();
    const parts = [data.slice(0, 10), data.slice(10, 30), data.slice(30)];
    expect(gate.feed(bytes(parts[0])).kind).toBe('hold');
    expect(gate.feed(bytes(parts[1])).kind).toBe('hold');
    const verdict = gate.feed(bytes(parts[2]));
    expect(verdict.kind).toBe('commit');
    expect(textOf(verdict)).toBe(data);
    expect('chunks' in verdict && verdict.chunks.length).toBe(3);
  });

  it('reports an error as the first event, with its parsed body', () => {
    const gate = new SseGate();
    expect(gate.feed(bytes(': OPENROUTER PROCESSING\n\n')).kind).toBe('forward');
    const verdict = gate.feed(bytes(error));
    expect(verdict.kind).toBe('error');
    if (verdict.kind !== 'error') return;
    expect(verdict.event.error).toEqual({ code: 429, message: 'Rate limit exceeded' });
  });

  it('sees an error after comments in the same chunk', () => {
    const gate = new SseGate();
    const verdict = gate.feed(bytes(`: OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n${error}`));
    expect(verdict.kind).toBe('error');
  });

  it('commits, not errors, on a normal chunk that mentions "error"', () => {
    const gate = new SseGate();
    const chunk = `data: ${JSON.stringify({ id: 'x', error: null, choices: [{ delta: { content: '"error"' } }] })}\n\n`;
    expect(gate.feed(bytes(chunk)).kind).toBe('commit');
  });

  it('handles CRLF event endings', () => {
    const gate = new SseGate();
    expect(gate.feed(bytes(': ping\r\n\r\n')).kind).toBe('forward');
    expect(gate.feed(bytes(error.replace(/\n/g, '\r\n'))).kind).toBe('error');
    const other = new SseGate();
    expect(other.feed(bytes(data.replace(/\n/g, '\r\n'))).kind).toBe('commit');
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const gate = new SseGate();
    const text = `data: ${JSON.stringify({ error: { message: 'ça — 限流' } })}\n\n`;
    const all = bytes(text);
    const cut = all.indexOf(0xe9) + 1; // inside 限
    expect(gate.feed(all.slice(0, cut)).kind).toBe('hold');
    const verdict = gate.feed(all.slice(cut));
    expect(verdict.kind).toBe('error');
    if (verdict.kind === 'error') expect(verdict.event.error.message).toBe('ça — 限流');
  });

  it('commits on data: [DONE] and answers the held chunks at the end of a stream', () => {
    expect(new SseGate().feed(bytes('data: [DONE]\n\n')).kind).toBe('commit');
    const gate = new SseGate();
    expect(gate.feed(bytes('data: {"partial"')).kind).toBe('hold');
    expect(gate.take().map((c) => dec.decode(c))).toEqual(['data: {"partial"']);
    expect(gate.take()).toEqual([]);
  });
});
