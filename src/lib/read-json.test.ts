import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { readJson } from './read-json';

/** An app that answers what `readJson` read, or the status and code of what it threw. */
function app(maxBytes: number) {
  const hono = new Hono();
  hono.post('/', async (c) => {
    try {
      return c.json({ read: (await readJson(c, { maxBytes })).json });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return c.json({ code: err.code }, err.status as 400);
    }
  });
  return hono;
}

/** A body sent as a stream (no content-length) of these chunks, failing after them if `fail`. */
function streamed(chunks: string[], fail = false): RequestInit {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      if (fail) controller.error(new Error('connection reset'));
      else controller.close();
    },
  });
  return { method: 'POST', body, duplex: 'half' } as RequestInit;
}

describe('readJson', () => {
  it('reads a body without a declared length, counted as it arrives', async () => {
    const res = await app(1024).request('/', streamed(['{"a":', '1}']));
    expect(await res.json()).toEqual({ read: { a: 1 } });
  });

  it('answers 413 past the limit and 400 for what is not JSON', async () => {
    expect((await app(1024).request('/', streamed(['x'.repeat(800), 'y'.repeat(800)]))).status).toBe(413);
    const res = await app(1024).request('/', { method: 'POST', body: 'not json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'invalid_json' });
  });

  it('answers 499 client_closed when the body stops coming, not an unexpected error', async () => {
    const res = await app(1024).request('/', streamed(['{"a":'], true));
    expect(res.status).toBe(499);
    expect(await res.json()).toEqual({ code: 'client_closed' });
  });
});
