/**
 * The admin endpoints the UI added: paging of GET /admin/api/keys, bulk actions,
 * "what does this name go to?" and the cached catalogue, against the Node server
 * and the mock OpenRouter.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config';
import { type RunningServer, startServer } from '../../src/runtime/node/server';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';

const ADMIN_KEY = 'ui-endpoints-admin-key';
// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
type Json = Record<string, any>;

let mock: MockOpenRouter;
let server: RunningServer;

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${server.url}/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const secret = (i: number) =>
  `sk-or-v1-uitest${String(i).padStart(4, '0')}${'0'.repeat(40)}${String(i).padStart(4, '0')}`;

beforeAll(async () => {
  mock = await startMockOpenRouter();
  server = await startServer(
    parseConfig({
      PORT: '0',
      AUTH_KEY: ADMIN_KEY,
      OPENROUTER_BASE_URL: mock.url,
      UPSTREAM_TIMEOUT_MS: '2000',
    }),
    { databaseFile: ':memory:', logger: { log: () => {} } },
  );
  const keys = Array.from({ length: 30 }, (_, i) => secret(i));
  mock.keyInfo(keys[0], { status: 401 });
  mock.keyInfo(keys[1], { status: 401 });
  mock.keyInfo(keys[2], { limit: 10, usage: 10 });
  for (let i = 3; i < 10; i++) mock.keyInfo(keys[i], { limit: 20, usage: i });
  expect((await admin('POST', '/keys', { keys: keys.slice(0, 20), label: 'team alpha' })).status).toBe(201);
  expect((await admin('POST', '/keys', { keys: keys.slice(20), label: 'team beta' })).status).toBe(201);
  // New keys are checked on arrival (GET /key, in the background): let those checks finish.
  await vi.waitFor(() => expect(mock.requests.filter((r) => r.path.endsWith('/key'))).toHaveLength(30), {
    timeout: 10_000,
  });
});

afterAll(async () => {
  await server?.close(100);
  await mock?.close();
});

describe('GET /admin/api/keys with paging', () => {
  it('still answers every key, as the contract says, without query', async () => {
    const { json } = await admin('GET', '/keys');
    expect(json.data).toHaveLength(30);
    expect(json.total).toBeUndefined();
  });

  it('answers one page with the total and the counts by status', async () => {
    const { status, json } = await admin('GET', '/keys?offset=10&limit=5');
    expect(status).toBe(200);
    expect(json.data).toHaveLength(5);
    expect(json.total).toBe(30);
    // As their checks on arrival found them.
    expect(json.counts).toMatchObject({ all: 30, active: 27, invalid: 2, exhausted: 1 });
  });

  it('searches label, hint and id', async () => {
    expect((await admin('GET', '/keys?q=BETA&limit=100')).json.total).toBe(10);
    const one = (await admin('GET', '/keys')).json.data[3];
    expect((await admin('GET', `/keys?q=${one.id}`)).json.data.map((k: Json) => k.id)).toEqual([one.id]);
  });

  it('rejects a bad parameter with a message', async () => {
    const { status, json } = await admin('GET', '/keys?sort=secret');
    expect(status).toBe(400);
    expect(json.error.message).toContain('"sort" must be one of');
  });
});

describe('POST /admin/api/keys/bulk', () => {
  it('checks the keys given, through GET /key only', async () => {
    const ids = (await admin('GET', '/keys?limit=100&sort=created')).json.data.map((k: Json) => k.id);
    const before = mock.requests.length;
    const { status, json } = await admin('POST', '/keys/bulk', { ids: [...ids, 'nope'], action: 'check' });
    expect(status).toBe(200);
    expect(json).toMatchObject({ action: 'check', done: 30, missing: 1, remaining: 0 });
    const seen = mock.requests.slice(before);
    expect(seen.filter((r) => r.path.endsWith('/key'))).toHaveLength(30);
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(0);
    const page = (await admin('GET', '/keys?limit=0')).json;
    expect(page.counts).toMatchObject({ invalid: 2, exhausted: 1, active: 27 });
    expect(page.credit).toMatchObject({ limited: 8, unlimited: 20, unknown: 2 }); // the invalid keys told nothing
    expect(page.credit.remaining).toBe(7 * 20 - (3 + 4 + 5 + 6 + 7 + 8 + 9));
  });

  it('filters and sorts by what the checks found', async () => {
    const invalid = (await admin('GET', '/keys?status=invalid')).json;
    expect(invalid.total).toBe(2);
    expect(invalid.data.every((k: Json) => k.last_error?.status === 401)).toBe(true);
    const byCredit = (await admin('GET', '/keys?sort=-credit&limit=3')).json.data;
    expect(byCredit.map((k: Json) => k.credit.remaining)).toEqual([17, 16, 15]);
  });

  it('disables, enables and deletes many keys at once', async () => {
    const ids = (await admin('GET', '/keys?q=beta&fields=id&limit=100')).json.data.map((k: Json) => k.id);
    expect(ids).toHaveLength(10);
    expect((await admin('POST', '/keys/bulk', { ids, action: 'disable' })).json.done).toBe(10);
    expect((await admin('GET', '/keys?limit=0')).json.counts.disabled).toBe(10);
    await admin('POST', '/keys/bulk', { ids: ids.slice(0, 5), action: 'enable' });
    expect((await admin('GET', '/keys?limit=0')).json.counts.disabled).toBe(5);
    const gone = await admin('POST', '/keys/bulk', { ids, action: 'delete' });
    expect(gone.json).toMatchObject({ done: 10, data: [] });
    expect((await admin('GET', '/keys')).json.data).toHaveLength(20);
  });

  it('says what is wrong with a bad body', async () => {
    expect(
      (await admin('POST', '/keys/bulk', { ids: ['a'], action: 'explode' })).json.error.message,
    ).toContain('"action" must be one of');
    const many = Array.from({ length: 401 }, (_, i) => `id${i}`);
    expect((await admin('POST', '/keys/bulk', { ids: many, action: 'enable' })).status).toBe(400);
  });
});

describe('model tools', () => {
  it('tells what a name goes to, with the saved aliases and the catalogue', async () => {
    await admin('PUT', '/model-map', {
      aliases: { 'gpt-4o*': 'openai/gpt-4o*', coder: 'deepseek/deepseek-coder' },
    });
    expect((await admin('GET', '/model-map/resolve?name=gpt-4o-mini')).json).toEqual({
      name: 'gpt-4o-mini',
      id: 'openai/gpt-4o-mini',
      via: 'pattern',
    });
    expect((await admin('GET', '/model-map/resolve?name=coder')).json).toMatchObject({ via: 'alias' });
    expect((await admin('GET', '/model-map/resolve?name=claude-3-5-sonnet')).json).toMatchObject({
      id: 'anthropic/claude-3.5-sonnet',
      via: 'catalog-normalized',
    });
    expect((await admin('GET', '/model-map/resolve?name=')).status).toBe(400);
  });

  it('lists the cached catalogue', async () => {
    const { json } = await admin('GET', '/catalog');
    expect(json.data.length).toBeGreaterThan(10);
    expect(json.data.find((m: Json) => m.id === 'openai/gpt-4o')).toMatchObject({
      id: 'openai/gpt-4o',
      context_length: expect.any(Number),
      pricing: { prompt: expect.any(String), completion: expect.any(String) },
    });
    expect(typeof json.fetched_at).toBe('string');
  });
});
