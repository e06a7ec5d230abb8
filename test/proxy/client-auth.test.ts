import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY, chatBody, type Harness, type Json, startHarness, upstreamKey } from './harness';

// A shared 2-core machine: generous bounds; no test asserts on wall-clock speed.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// Refusals that happen before anything goes upstream.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ MAX_BODY_BYTES: '2048' });
  await h.addKeys(upstreamKey('a'));
});
afterEach(() => h.mock.reset());
afterAll(() => h?.close());

async function expectError(res: Response, status: number, code?: string): Promise<Json> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  const body = (await res.json()) as Json;
  expect(body.error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
  if (code) expect(body.error.code).toBe(code);
  return body;
}

/** What reached upstream on behalf of clients (a key's arrival check, `GET /key`, is not). */
const proxied = () => h.mock.requests.filter((r) => !r.path.endsWith('/key'));

async function clientKey(fields: Json): Promise<{ id: string; key: string }> {
  const res = await h.admin('POST', '/client-keys', { name: 'other', ...fields });
  expect(res.status).toBe(201);
  const body = (await res.json()) as Json;
  return { id: body.id, key: body.key };
}

describe('client auth', () => {
  it('refuses a request without a key', async () => {
    await expectError(await h.post('/v1/chat/completions', chatBody(), { auth: null }), 401);
    expect(proxied()).toHaveLength(0);
  });

  it('refuses an unknown key, on every route', async () => {
    for (const path of ['/v1/chat/completions', '/api/v1/completions', '/v1/embeddings']) {
      const res = await h.post(path, chatBody(), { auth: 'sk-cr-not-a-real-key' });
      await expectError(res, 401);
      expect(res.headers.get('x-cloudrouter-attempts')).toBe('0');
    }
    const models = await fetch(`${h.url}/v1/models`, { headers: { authorization: 'Bearer nope' } });
    await expectError(models, 401);
    expect(proxied()).toHaveLength(0);
  });

  it('refuses a disabled key', async () => {
    const { id, key } = await clientKey({});
    expect((await h.post('/v1/chat/completions', chatBody(), { auth: key })).status).toBe(200);
    expect((await h.admin('PATCH', `/client-keys/${id}`, { enabled: false })).status).toBe(200);
    h.mock.reset();
    await expectError(await h.post('/v1/chat/completions', chatBody(), { auth: key }), 401);
    expect(proxied()).toHaveLength(0);
  });

  it('refuses a deleted key', async () => {
    const { id, key } = await clientKey({});
    expect((await h.admin('DELETE', `/client-keys/${id}`)).status).toBe(204);
    await expectError(await h.post('/v1/chat/completions', chatBody(), { auth: key }), 401);
    expect(proxied()).toHaveLength(0);
  });

  it('refuses an expired key', async () => {
    const { id, key } = await clientKey({ expires_at: new Date(Date.now() + 60_000).toISOString() });
    expect((await h.post('/v1/chat/completions', chatBody(), { auth: key })).status).toBe(200);
    const past = new Date(Date.now() - 1000).toISOString();
    expect((await h.admin('PATCH', `/client-keys/${id}`, { expires_at: past })).status).toBe(200);
    h.mock.reset();
    await expectError(await h.post('/v1/chat/completions', chatBody(), { auth: key }), 401);
    expect(proxied()).toHaveLength(0);
  });

  it('refuses a model the key may not use with 403', async () => {
    const { key } = await clientKey({ models: ['anthropic/*'] });
    await expectError(await h.post('/v1/chat/completions', chatBody(), { auth: key }), 403);
    expect(proxied()).toHaveLength(0);
  });

  it('refuses the admin key as a client key', async () => {
    await expectError(await h.post('/v1/chat/completions', chatBody(), { auth: ADMIN_KEY }), 401);
  });
});

describe('bad requests', () => {
  it('answers 400 to a body that is not JSON (a JSON object)', async () => {
    for (const text of ['{"model": "x", ', '[1, 2]']) {
      const res = await h.post('/v1/chat/completions', text);
      await expectError(res, 400);
      expect(res.headers.get('x-cloudrouter-attempts')).toBe('0');
    }
    expect(proxied()).toHaveLength(0);
  });

  it('answers 413 to a body over MAX_BODY_BYTES', async () => {
    const big = chatBody({ messages: [{ role: 'user', content: 'x'.repeat(4096) }] });
    const res = await h.post('/v1/chat/completions', big);
    await expectError(res, 413);
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('0');
    expect(proxied()).toHaveLength(0);
  });

  it('answers 413 to a chunked body over MAX_BODY_BYTES (no content-length)', async () => {
    const text = JSON.stringify(chatBody({ messages: [{ role: 'user', content: 'é'.repeat(1500) }] }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.clientKey}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectError(res, 413);
    expect(proxied()).toHaveLength(0);
  });

  it('answers a JSON 404 to an unknown route', async () => {
    await expectError(await h.post('/v1/nothing-here', chatBody()), 404);
    await expectError(await fetch(`${h.url}/v2/chat/completions`), 404);
    expect(proxied()).toHaveLength(0);
  });
});
