import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { chatChunks, midStreamError, sseText } from '../mock-openrouter';
import { chatBody, type Harness, type Json, sseData, startHarness, upstreamKey } from './harness';

// A shared 2-core machine: generous bounds; no test asserts on wall-clock speed.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// Streams through the real Node server: pass-through, drops, errors, aborts and failover.
let h: Harness;
beforeAll(async () => {
  // Rotation by request: these tests repeat one body, which by conversation would go to one key.
  h = await startHarness({ STREAM_IDLE_TIMEOUT_MS: '1500', CONVERSATION_AFFINITY: 'false' });
});
afterEach(async () => {
  await h.clearKeys();
  h.mock.reset();
});
afterAll(() => h?.close());

const MODEL = 'openai/gpt-4o-mini';
const streamBody = (extra: Json = {}) => chatBody({ stream: true, ...extra });

/** Reads a fetch body to its end; answers the text and when each data event arrived. */
async function readStream(res: Response): Promise<{ text: string; arrivals: number[] }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const arrivals: number[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const piece = decoder.decode(value, { stream: true });
    for (let i = 0; i < (piece.match(/^data:/gm)?.length ?? 0); i++) arrivals.push(Date.now());
    text += piece;
  }
  return { text, arrivals };
}

const contentOf = (events: Json[]) => events.map((e) => e.choices?.[0]?.delta?.content ?? '').join('');

describe('a stream', () => {
  it('reaches the client chunk by chunk: the first before upstream sends the rest', async () => {
    await h.addKeys(upstreamKey('slow'));
    const steps = chatChunks(MODEL, ['Hello', ' world']);
    // comment, first data, [0.8 s: under the 1.5 s idle timeout], the rest.
    h.mock.script('*', { sse: [steps[0], steps[1], { delayMs: 800 }, ...steps.slice(2)] });
    const res = await h.post('/v1/chat/completions', streamBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const { text, arrivals } = await readStream(res);
    const sentAt = h.mock.chatRequests()[0].at;
    // The mock cannot send the rest before sentAt + 800: the first event came before that.
    expect(arrivals[0]).toBeLessThan(sentAt + 800);
    expect(arrivals.at(-1)!).toBeGreaterThanOrEqual(sentAt + 800);
    expect(contentOf(sseData(text))).toBe('Hello world');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('passes the bytes through as upstream sent them', async () => {
    await h.addKeys(upstreamKey('a'));
    const steps = chatChunks(MODEL, ['a', 'b'], { includeUsage: true });
    h.mock.script('*', { sse: steps });
    const res = await h.post('/v1/chat/completions', streamBody());
    const { text } = await readStream(res);
    expect(text).toBe(steps.map((s) => sseText(s) ?? '').join(''));
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('1');
  });

  it('ends with an OpenAI-style error event when upstream drops mid-stream; the SDK throws', async () => {
    await h.addKeys(upstreamKey('drop'));
    const steps = chatChunks(MODEL, ['one', ' two', ' three', ' four']);
    h.mock.always('*', { sse: steps, dropAfter: 3 });
    const res = await h.post('/v1/chat/completions', streamBody());
    expect(res.status).toBe(200);
    const { text } = await readStream(res);
    const events = sseData(text);
    expect(contentOf(events)).toBe('one two');
    const last = events.at(-1)!;
    expect(last.error).toMatchObject({ message: expect.any(String), type: expect.any(String), code: 502 });
    expect(last.choices[0].finish_reason).toBe('error');
    expect(last.id).toBe(events[0].id);

    const stream = await h.openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    let got = '';
    const error = await (async () => {
      for await (const chunk of stream) got += chunk.choices[0]?.delta?.content ?? '';
    })().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(APIError);
    expect(got).toBe('one two');
  });

  it('ends with an error event when upstream goes quiet past STREAM_IDLE_TIMEOUT_MS', async () => {
    await h.addKeys(upstreamKey('quiet'));
    const steps = chatChunks(MODEL, ['one', ' two']);
    h.mock.script('*', { sse: [steps[0], steps[1], { delayMs: 60_000 }, ...steps.slice(2)] });
    const res = await h.post('/v1/chat/completions', streamBody());
    const { text } = await readStream(res);
    const events = sseData(text);
    expect(contentOf(events)).toBe('one');
    expect(events.at(-1)?.error?.message).toMatch(/sent nothing/);
  });

  it('relays a mid-stream error chunk from upstream to the client', async () => {
    await h.addKeys(upstreamKey('a'), upstreamKey('b'));
    const steps = chatChunks(MODEL, ['one', ' two']);
    const error = midStreamError(MODEL, 'Provider disconnected', 502);
    h.mock.always('*', { sse: [steps[0], steps[1], error, { done: true }] });
    const res = await h.post('/v1/chat/completions', streamBody());
    const { text } = await readStream(res);
    const events = sseData(text);
    expect(contentOf(events)).toBe('one');
    expect(events.at(-1)).toMatchObject({ error: { code: 502, message: 'Provider disconnected' } });
    // Committed after the first data event: no other key was tried.
    expect(h.mock.chatRequests()).toHaveLength(1);
  });

  it('keeps a 400 error event that comes first (the request is at fault), without failover', async () => {
    await h.addKeys(upstreamKey('a'), upstreamKey('b'));
    const error = midStreamError(MODEL, 'Invalid tool schema', 400);
    h.mock.always('*', { sse: [{ comment: 'OPENROUTER PROCESSING' }, error, { done: true }] });
    const res = await h.post('/v1/chat/completions', streamBody());
    const events = sseData((await readStream(res)).text);
    expect(events.at(-1)).toMatchObject({ error: { code: 400, message: 'Invalid tool schema' } });
    expect(h.mock.chatRequests()).toHaveLength(1);
  });
});

describe('a non-streamed answer whose body stalls', () => {
  it('is given up after the idle timeout and the next key answers', { timeout: 20_000 }, async () => {
    const [stalled, good] = [upstreamKey('stall'), upstreamKey('good')];
    await h.addKeys(stalled, good);
    // Headers at once, then nothing: the body never ends.
    h.mock.always(stalled, {
      sse: [{ comment: 'OPENROUTER PROCESSING' }, { delayMs: 60_000 }, { done: true }],
    });
    for (let i = 0; i < 2; i++) {
      const res = await h.post('/v1/chat/completions', chatBody());
      expect(res.status).toBe(200);
      expect(((await res.json()) as Json).choices[0].message.content).toBe(
        'Hello! How can I help you today?',
      );
    }
    expect(h.mock.chatRequests().filter((r) => r.key === stalled).length).toBeGreaterThanOrEqual(1);
  });
});

describe('failover before the first data event', () => {
  it('moves on when the first event is an error: the client gets the next key’s stream whole', async () => {
    const [bad, good] = [upstreamKey('bad'), upstreamKey('good')];
    await h.addKeys(bad, good);
    h.mock.always(bad, {
      sse: [
        { comment: 'OPENROUTER PROCESSING' },
        midStreamError(MODEL, 'Provider overloaded', 503),
        { done: true },
      ],
    });
    for (let i = 0; i < 2; i++) {
      const stream = await h.openai().chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toBe('Hello! How can I help you today?');
    }
    expect(h.mock.chatRequests().filter((r) => r.key === bad).length).toBeGreaterThanOrEqual(1);
  });

  it('moves on when the first key drops after its comment', async () => {
    const [bad, good] = [upstreamKey('drop'), upstreamKey('good')];
    await h.addKeys(bad, good);
    h.mock.always(bad, { sse: [{ comment: 'OPENROUTER PROCESSING' }, { delayMs: 20 }], dropAfter: 1 });
    for (let i = 0; i < 2; i++) {
      const res = await h.post('/v1/chat/completions', streamBody());
      const events = sseData((await readStream(res)).text);
      expect(contentOf(events)).toBe('Hello! How can I help you today?');
      expect(events.some((e) => e.error)).toBe(false);
    }
  });

  it('moves on when the first key ends its stream without data', async () => {
    const [bad, good] = [upstreamKey('empty'), upstreamKey('good')];
    await h.addKeys(bad, good);
    h.mock.always(bad, { sse: [{ comment: 'OPENROUTER PROCESSING' }] });
    for (let i = 0; i < 2; i++) {
      const res = await h.post('/v1/chat/completions', streamBody());
      const events = sseData((await readStream(res)).text);
      expect(contentOf(events)).toBe('Hello! How can I help you today?');
    }
  });

  it('fails over on a streamed request answered 429 before any byte', async () => {
    const [bad, good] = [upstreamKey('limited'), upstreamKey('good')];
    const [badId] = await h.addKeys(bad, good);
    h.mock.always(bad, { status: 429, headers: { 'retry-after': '30' } });
    for (let i = 0; i < 2; i++) {
      const res = await h.post('/v1/chat/completions', streamBody());
      expect(res.status).toBe(200);
      expect(contentOf(sseData((await readStream(res)).text))).toBe('Hello! How can I help you today?');
    }
    expect((await h.keyViews()).get(badId)?.status).toBe('cooldown');
  });

  it('moves on when a streamed request is answered 200 with a JSON error, sending none of it', async () => {
    const [bad, good] = [upstreamKey('json'), upstreamKey('good')];
    const [badId] = await h.addKeys(bad, good);
    h.mock.always(bad, { status: 200, body: { error: { code: 401, message: 'User not found.' } } });
    for (let i = 0; i < 2; i++) {
      const res = await h.post('/v1/chat/completions', streamBody());
      const { text } = await readStream(res);
      expect(text).not.toContain('User not found');
      expect(contentOf(sseData(text))).toBe('Hello! How can I help you today?');
    }
    expect((await h.keyViews()).get(badId)?.status).toBe('invalid');
  });

  it('ends with an error event when every key’s stream fails before data', async () => {
    await h.addKeys(upstreamKey('a'), upstreamKey('b'));
    h.mock.always('*', { sse: [midStreamError(MODEL, 'Provider overloaded', 503), { done: true }] });
    const res = await h.post('/v1/chat/completions', streamBody());
    const events = sseData((await readStream(res)).text);
    // Provider failures are 502 on every path; the message names the key hints tried.
    expect(events.at(-1)?.error).toMatchObject({ code: 502, type: 'server_error' });
    expect(events.at(-1)?.error.message).toMatch(
      /^Provider overloaded; keys tried: sk-or-v1-…\w+ \(503 upstream_error\)/,
    );
    expect(h.mock.chatRequests()).toHaveLength(2);
  });
});

/** An upstream that starts answering and then waits; it tells when the proxy closes the connection. */
async function stallingUpstream(mode: 'stream' | 'hang'): Promise<{
  url: string;
  seen: Promise<void>;
  closed: Promise<void>;
  server: Server;
}> {
  let onSeen: () => void = () => {};
  let onClosed: () => void = () => {};
  const seen = new Promise<void>((resolve) => {
    onSeen = resolve;
  });
  const closed = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
  const server = createServer((req, res) => {
    if (!req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":404,"message":"x"}}');
      return;
    }
    req.resume();
    res.on('close', () => onClosed());
    onSeen();
    if (mode === 'hang') return;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const step of chatChunks(MODEL, ['Hello']).slice(0, 2)) res.write(sseText(step) ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return { url, seen, closed, server };
}

describe('a client that goes away', () => {
  it.each(['stream', 'hang'] as const)(
    'makes the proxy abort its upstream request (%s)',
    { timeout: 20_000 },
    async (mode) => {
      const upstream = await stallingUpstream(mode);
      const local = await startHarness({ OPENROUTER_BASE_URL: upstream.url, UPSTREAM_TIMEOUT_MS: '30000' });
      try {
        await local.addKeys(upstreamKey('a'));
        const controller = new AbortController();
        const res = local
          .post('/v1/chat/completions', streamBody(), { signal: controller.signal })
          .then(async (r) => {
            if (mode === 'stream') {
              const reader = r.body!.getReader();
              let text = '';
              while (!text.includes('data:')) text += new TextDecoder().decode((await reader.read()).value);
            }
            controller.abort();
          })
          .catch(() => {});
        // Abort as soon as upstream has the request (hang) or the client has the first data (stream).
        await upstream.seen;
        if (mode === 'hang') controller.abort();
        await res;
        let closedInTime = false;
        await Promise.race([
          upstream.closed.then(() => {
            closedInTime = true;
          }),
          new Promise((resolve) => setTimeout(resolve, 5_000)),
        ]);
        expect(closedInTime).toBe(true);
      } finally {
        await local.close();
        upstream.server.closeAllConnections();
        await new Promise((resolve) => upstream.server.close(resolve));
      }
    },
  );
});
