import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import worker from '../../src/runtime/workers/index';

// A shared 2-core machine: generous bounds; no test asserts on wall-clock speed.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// The core of test/proxy/ again, inside workerd: the Worker entry, KV, the fetch
// transport and the Workers exchange, against the mock OpenRouter that
// global-setup.ts runs in Node (scripted over its HTTP control API).

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
type Json = Record<string, any>;

const ADMIN = 'workers-test-admin-key-0123';
const MODEL = 'openai/gpt-4o-mini';
const mockOrigin = inject('mockOpenRouterOrigin');
// One env object for the file: the Worker builds one app per env identity.
const testEnv = {
  ...env,
  OPENROUTER_BASE_URL: inject('mockOpenRouterUrl'),
  AUTH_KEY: ADMIN,
  UPSTREAM_TIMEOUT_MS: '500',
  MAX_ATTEMPTS: '5',
  STREAM_IDLE_TIMEOUT_MS: '1000',
};

const pending: ExecutionContext[] = [];

/** One request to the Worker; its background work is awaited after the test. */
async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  pending.push(ctx);
  return worker.fetch(new Request(`http://cloudrouter.test${path}`, init), testEnv, ctx);
}

async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return call(`/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function control(path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${mockOrigin}/__mock/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

const mock = {
  reset: () => control('reset', {}),
  script: (key: string, ...replies: Json[]) => control('script', { key, replies }),
  always: (key: string, reply: Json | null) => control('always', { key, reply }),
  chatRequests: async () =>
    ((await control('requests')).requests as Json[]).filter((r) => r.path.endsWith('/chat/completions')),
};

function upstreamKey(tag: string): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return `sk-or-v1-${tag}-${random}`;
}

/** Empties the pool (KV outlives tests), then imports these keys; answers their ids. */
async function poolOf(...secrets: string[]): Promise<string[]> {
  const list = ((await (await admin('GET', '/keys')).json()) as Json).data as Json[];
  for (const key of list) expect((await admin('DELETE', `/keys/${key.id}`)).status).toBe(204);
  if (secrets.length === 0) return [];
  const res = await admin('POST', '/keys', { keys: secrets });
  expect(res.status).toBe(201);
  return (((await res.json()) as Json).added as Json[]).map((k) => k.id as string);
}

async function keyStatus(id: string): Promise<string | undefined> {
  const list = ((await (await admin('GET', '/keys')).json()) as Json).data as Json[];
  return list.find((k) => k.id === id)?.status;
}

let clientKey = '';
beforeAll(async () => {
  const res = await admin('POST', '/client-keys', { name: 'workers-tests' });
  expect(res.status).toBe(201);
  clientKey = ((await res.json()) as Json).key;
});
beforeEach(() => mock.reset());
afterEach(async () => {
  for (const ctx of pending.splice(0)) await waitOnExecutionContext(ctx);
});

function chat(body: Json = {}): Promise<Response> {
  return call('/v1/chat/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...body }),
  });
}

function sseData(text: string): Json[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: ') && block !== 'data: [DONE]')
    .map((block) => JSON.parse(block.slice(6)) as Json);
}

const contentOf = (events: Json[]) => events.map((e) => e.choices?.[0]?.delta?.content ?? '').join('');

describe('the Worker as a proxy', () => {
  // Rotation by request: these tests repeat one body, which by conversation would go to one key.
  beforeAll(async () => {
    expect((await admin('PUT', '/settings', { conversation_affinity: false })).status).toBe(200);
  });
  afterAll(async () => {
    expect((await admin('PUT', '/settings', { conversation_affinity: null })).status).toBe(200);
  });

  it('answers a plain chat', async () => {
    await poolOf(upstreamKey('good'));
    const res = await chat();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('1');
    const body = (await res.json()) as Json;
    expect(body.choices[0].message.content).toBe('Hello! How can I help you today?');
  });

  it('answers a browser preflight and lets the page read the answer (CORS)', async () => {
    await poolOf(upstreamKey('good'));
    const preflight = await call('/v1/chat/completions', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://chat.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    const res = await call('/v1/chat/completions', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${clientKey}`,
        'content-type': 'application/json',
        origin: 'https://chat.example',
      },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    await res.arrayBuffer();
  });

  it('passes any X-OpenRouter-* header up, attribution too, and never the client s key', async () => {
    await poolOf(upstreamKey('good'));
    const res = await call('/v1/chat/completions', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${clientKey}`,
        'content-type': 'application/json',
        'HTTP-Referer': 'https://app.example',
        'X-OpenRouter-Foo': 'bar baz',
        'x-openrouter-long': 'x'.repeat(3000),
        'x-unrelated': 'stays here',
      },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const sent = (await mock.chatRequests())[0].headers as Record<string, string>;
    expect(sent['x-openrouter-foo']).toBe('bar baz');
    expect(sent['http-referer']).toBe('https://app.example');
    expect(sent['x-openrouter-long']).toBeUndefined();
    expect(sent['x-unrelated']).toBeUndefined();
    expect(sent.authorization).not.toContain(clientKey);
  });

  it('answers the same route under /api/v1, and refuses an unknown client key', async () => {
    await poolOf(upstreamKey('good'));
    const ok = await call('/api/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const refused = await call('/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: 'Bearer sk-cr-unknown', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(401);
    await refused.arrayBuffer();
    expect(await mock.chatRequests()).toHaveLength(1);
  });

  it('streams an answer, usage included', async () => {
    await poolOf(upstreamKey('good'));
    const res = await chat({ stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const events = sseData(text);
    expect(contentOf(events)).toBe('Hello! How can I help you today?');
    expect(events.at(-1)?.usage?.completion_tokens).toBe(9);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('fails over 429, 401 and 500 keys and marks them', async () => {
    const secrets = [upstreamKey('r429'), upstreamKey('r401'), upstreamKey('r500'), upstreamKey('good')];
    const ids = await poolOf(...secrets);
    await mock.always(secrets[0], { status: 429, headers: { 'retry-after': '60' } });
    await mock.always(secrets[1], { status: 401 });
    await mock.always(secrets[2], { status: 500 });
    const attempts: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await chat();
      expect(res.status).toBe(200);
      expect(((await res.json()) as Json).choices[0].message.content).toBeTruthy();
      attempts.push(Number(res.headers.get('x-cloudrouter-attempts')));
    }
    expect(Math.max(...attempts)).toBeGreaterThan(1);
    expect(await keyStatus(ids[0])).toBe('cooldown');
    expect(await keyStatus(ids[1])).toBe('invalid');
    expect(await keyStatus(ids[2])).toBe('active');
    expect(await keyStatus(ids[3])).toBe('active');
  });

  it('moves past a key that never answers (header timeout)', async () => {
    const [silent, good] = [upstreamKey('hang'), upstreamKey('good')];
    await poolOf(silent, good);
    await mock.always(silent, { hang: true });
    for (let i = 0; i < 2; i++) {
      const res = await chat();
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('ends a stream that drops mid-way with an OpenAI-style error event', async () => {
    await poolOf(upstreamKey('drop'));
    const res = await chat({ stream: true });
    expect(res.status).toBe(200);
    await res.body?.cancel();
    // Script the drop now that the default stream is known to work.
    await mock.reset();
    await mock.always('*', { dropAfter: 3 });
    const dropped = await chat({ stream: true });
    const events = sseData(await dropped.text());
    expect(contentOf(events)).toBe('Hello!');
    const last = events.at(-1)!;
    expect(last.error).toMatchObject({ message: expect.any(String), type: expect.any(String), code: 502 });
    expect(last.choices[0].finish_reason).toBe('error');
  });

  it('ends a stream that goes quiet with an error event', async () => {
    await poolOf(upstreamKey('quiet'));
    const chunk = {
      id: 'gen-quiet',
      object: 'chat.completion.chunk',
      created: 1,
      model: MODEL,
      choices: [{ index: 0, delta: { content: 'one' }, finish_reason: null }],
    };
    await mock.always('*', { sse: [{ data: chunk }, { delayMs: 30_000 }, { done: true }] });
    const events = sseData(await (await chat({ stream: true })).text());
    expect(contentOf(events)).toBe('one');
    expect(events.at(-1)).toMatchObject({ id: 'gen-quiet', error: { code: 504, type: 'timeout_error' } });
    expect(events.at(-1)?.error.message).toMatch(/sent nothing/);
  });

  it('gives up a non-streamed body that stalls and asks the next key', async () => {
    const [stalled, good] = [upstreamKey('stall'), upstreamKey('good')];
    await poolOf(stalled, good);
    await mock.always(stalled, { sse: [{ comment: 'OPENROUTER PROCESSING' }, { delayMs: 30_000 }] });
    for (let i = 0; i < 2; i++) {
      const res = await chat();
      expect(res.status).toBe(200);
      expect(((await res.json()) as Json).choices[0].message.content).toBeTruthy();
    }
    expect((await mock.chatRequests()).some((r) => r.key === stalled)).toBe(true);
  });

  it('fails over before the first data event of a stream', async () => {
    const [bad, good] = [upstreamKey('bad'), upstreamKey('good')];
    await poolOf(bad, good);
    const error = {
      id: 'gen-x',
      object: 'chat.completion.chunk',
      created: 1,
      model: MODEL,
      error: { code: 503, message: 'Provider overloaded' },
      choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
    };
    await mock.always(bad, { sse: [{ comment: 'OPENROUTER PROCESSING' }, { data: error }, { done: true }] });
    for (let i = 0; i < 2; i++) {
      const events = sseData(await (await chat({ stream: true })).text());
      expect(contentOf(events)).toBe('Hello! How can I help you today?');
      expect(events.some((e) => e.error)).toBe(false);
    }
  });

  it('remembers the generation of the key that served a stream after failover, and asks that key', async () => {
    await poolOf(upstreamKey('g0'), upstreamKey('g1'), upstreamKey('g2'));
    for (let round = 0; round < 4; round++) {
      await mock.reset();
      const failed = {
        id: `gen-failed-${round}`,
        object: 'chat.completion.chunk',
        created: 1,
        model: MODEL,
        error: { code: 503, message: 'Provider overloaded' },
        choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
      };
      await mock.script('*', {
        sse: [{ comment: 'OPENROUTER PROCESSING' }, { data: failed }, { done: true }],
      });
      const text = await (await chat({ stream: true })).text();
      const id = /"id":"(gen-[^"]+)"/.exec(text)?.[1];
      const [first, second] = await mock.chatRequests();
      expect(second?.key).toBeDefined();
      expect(second.key).not.toBe(first.key);
      expect(id).not.toBe(failed.id);
      const found = await call(`/v1/generation?id=${id}`, {
        headers: { authorization: `Bearer ${clientKey}` },
      });
      expect(found.status).toBe(200);
      await found.arrayBuffer();
      const asked = ((await control('requests')).requests as Json[]).filter((r) =>
        r.path.endsWith('/generation'),
      );
      expect(asked.map((r) => r.key)).toEqual([second.key]);
    }
  });

  it('answers 429 all_keys_rate_limited with Retry-After while the only key cools down', async () => {
    const [limited] = [upstreamKey('limited')];
    await poolOf(limited);
    await mock.script(limited, { status: 429, headers: { 'retry-after': '30' } });
    const first = await chat();
    expect(first.status).toBe(429);
    await first.arrayBuffer();
    const res = await chat();
    expect(res.status).toBe(429);
    expect(((await res.json()) as Json).error).toMatchObject({
      code: 'all_keys_rate_limited',
      type: 'rate_limit_error',
      message: expect.any(String),
    });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('0');
    expect(await mock.chatRequests()).toHaveLength(1);
  });

  it('passes a 400 through after one upstream request, code and metadata kept', async () => {
    await poolOf(upstreamKey('a'), upstreamKey('b'));
    const metadata = { provider_name: 'OpenAI', raw: 'bad tool schema' };
    await mock.always('*', { status: 400, error: { code: 400, message: 'Invalid tool schema', metadata } });
    const res = await chat();
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error).toMatchObject({
      message: 'Invalid tool schema',
      type: expect.any(String),
      code: 400,
      metadata,
    });
    expect(await mock.chatRequests()).toHaveLength(1);
  });
});

describe('conversations in the Worker', () => {
  /** Turn `turn` of a conversation that opened with `first`. */
  const turn = (first: string, n: number) =>
    chat({
      messages: [
        { role: 'user', content: first },
        ...Array.from({ length: n - 1 }, (_, t) => [
          { role: 'assistant', content: `Answer ${t}` },
          { role: 'user', content: `More ${t}` },
        ]).flat(),
      ],
    });
  const keysSeen = async () => (await mock.chatRequests()).map((r) => r.key as string);

  it('sends ten turns to one key, moves once its key fails, and stays on the new key', async () => {
    const secrets = Array.from({ length: 5 }, (_, i) => upstreamKey(`c${i}`));
    await poolOf(...secrets);
    for (let t = 1; t <= 10; t++) {
      const res = await turn('Plan a week in Kyoto', t);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    const seen = await keysSeen();
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(1);
    await mock.always(seen[0], { status: 500 });
    const moved = await turn('Plan a week in Kyoto', 11);
    expect(moved.status).toBe(200);
    expect(moved.headers.get('x-cloudrouter-attempts')).toBe('2');
    await moved.arrayBuffer();
    const next = (await keysSeen()).at(-1);
    expect(next).not.toBe(seen[0]);
    await mock.reset();
    for (let t = 12; t <= 14; t++) await (await turn('Plan a week in Kyoto', t)).arrayBuffer();
    expect(await keysSeen()).toEqual([next, next, next]);
  });

  it('keeps a /completions prompt with a cacheable prefix on one key; embeddings rotate', async () => {
    await poolOf(...Array.from({ length: 4 }, (_, i) => upstreamKey(`p${i}`)));
    const opening = 'You are a story teller. Continue the story. '.repeat(100);
    const post = (path: string, body: Json) =>
      call(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (let t = 1; t <= 8; t++) {
      const prompt = `${opening}${'\nReader: and then?\nTeller: the dragon woke.'.repeat(t)}`;
      const res = await post('/v1/completions', { model: 'deepseek/deepseek-coder', prompt });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const embedded = await post('/v1/embeddings', {
        model: 'openai/text-embedding-3-small',
        input: opening,
      });
      expect(embedded.status).toBe(200);
      await embedded.arrayBuffer();
    }
    const requests = (await control('requests')).requests as Json[];
    const keysOf = (path: string) => requests.filter((r) => r.path.endsWith(path)).map((r) => r.key);
    expect(keysOf('/completions')).toHaveLength(8);
    expect(new Set(keysOf('/completions')).size).toBe(1);
    expect(new Set(keysOf('/embeddings')).size).toBe(4);
  });

  it('spreads different conversations over the keys', async () => {
    await poolOf(...Array.from({ length: 3 }, (_, i) => upstreamKey(`s${i}`)));
    for (let c = 0; c < 24; c++) await (await turn(`Conversation ${c}`, 1)).arrayBuffer();
    expect(new Set(await keysSeen()).size).toBe(3);
  });
});
