import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY_PREFIX } from '../../src/client-keys/client-key-record';
import { sha256Hex } from '../../src/lib/crypto';
import { listAll } from '../../src/store/types';
import { type AdminHarness, type Json, startAdminHarness } from './admin-harness';

let h: AdminHarness;

beforeAll(async () => {
  h = await startAdminHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Status of `GET /v1/models` with `key` (the catalogue is unreachable here: anything but 401 means accepted). */
async function modelsStatus(key: string): Promise<number> {
  const res = await fetch(`${h.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  await res.arrayBuffer();
  return res.status;
}

async function create(body: Json): Promise<Json> {
  const { status, json } = await h.adminJson('POST', '/client-keys', body);
  expect(status).toBe(201);
  return json;
}

describe('client keys', () => {
  it('creates a key: 201 with the view and the plaintext, shown this once', async () => {
    const created = await create({
      name: 'laptop',
      models: ['openai/*'],
      rpm: 60,
      expires_at: '2099-01-01T00:00:00Z',
    });
    expect(created).toMatchObject({
      name: 'laptop',
      enabled: true,
      models: ['openai/*'],
      rpm: 60,
      expires_at: '2099-01-01T00:00:00.000Z',
    });
    expect(typeof created.id).toBe('string');
    expect(typeof created.key).toBe('string');
    expect(created.key.length).toBeGreaterThanOrEqual(32);
    expect(created.hint).toBe(`cr-…${created.key.slice(-4)}`);
    expect(created).not.toHaveProperty('hash');

    const list = await h.adminJson('GET', '/client-keys');
    expect(list.status).toBe(200);
    const listed = list.json.data.find((k: Json) => k.id === created.id);
    expect(listed).toMatchObject({
      id: created.id,
      name: 'laptop',
      enabled: true,
      models: ['openai/*'],
      rpm: 60,
    });
    expect(JSON.stringify(list.json)).not.toContain(created.key);
    expect(listed).not.toHaveProperty('key');
    expect(listed).not.toHaveProperty('hash');
    const one = await h.adminJson('GET', `/client-keys/${created.id}`);
    expect(JSON.stringify(one.json)).not.toContain(created.key);
  });

  it('stores only the SHA-256 of the key and its hint, never the plaintext', async () => {
    const created = await create({ name: 'stored' });
    const record = await h.server.store.get<Json>(`${CLIENT_KEY_PREFIX}${created.id}`);
    expect(record).not.toBeNull();
    expect(record?.hash).toBe(await sha256Hex(created.key));
    expect(record?.hint).toBe(created.hint);
    expect(JSON.stringify(record)).not.toContain(created.key);
    expect(JSON.stringify(record)).not.toContain(created.key.slice(3, 20));
    const listed = await listAll(h.server.store, CLIENT_KEY_PREFIX);
    expect(listed.length).toBeGreaterThan(0);
    expect(JSON.stringify(listed)).not.toContain(created.key);
  });

  it('lets the plaintext authenticate on the proxy, and nothing else', async () => {
    const created = await create({ name: 'proxy' });
    expect(await modelsStatus(created.key)).not.toBe(401);
    expect(await modelsStatus(`${created.key}x`)).toBe(401);
    expect(await modelsStatus(created.key.slice(0, -1))).toBe(401);
    const stored = await h.server.store.get<Json>(`${CLIENT_KEY_PREFIX}${created.id}`);
    expect(await modelsStatus(stored?.hash)).toBe(401);
    const none = await fetch(`${h.url}/v1/models`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as Json).error.type).toBe('authentication_error');
  });

  it('disables, edits and deletes a key', async () => {
    const created = await create({ name: 'edit me' });
    const off = await h.adminJson('PATCH', `/client-keys/${created.id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ id: created.id, enabled: false });
    expect(await modelsStatus(created.key)).toBe(401);
    const on = await h.adminJson('PATCH', `/client-keys/${created.id}`, {
      enabled: true,
      name: 'renamed',
      models: ['anthropic/*'],
      rpm: 5,
      expires_at: null,
    });
    expect(on.json).toMatchObject({
      name: 'renamed',
      enabled: true,
      models: ['anthropic/*'],
      rpm: 5,
      expires_at: null,
    });
    expect(await modelsStatus(created.key)).not.toBe(401);
    const expired = await h.adminJson('PATCH', `/client-keys/${created.id}`, {
      expires_at: '2020-01-01T00:00:00Z',
    });
    expect(expired.status).toBe(200);
    expect(await modelsStatus(created.key)).toBe(401);
    const del = await h.admin('DELETE', `/client-keys/${created.id}`);
    expect(del.status).toBe(204);
    expect(await modelsStatus(created.key)).toBe(401);
    expect((await h.adminJson('DELETE', `/client-keys/${created.id}`)).status).toBe(404);
    expect((await h.adminJson('PATCH', `/client-keys/${created.id}`, { name: 'x' })).status).toBe(404);
  });

  it('rejects bad bodies with a message saying what is wrong', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /"name" is required/],
      [{ name: '' }, /"name"/],
      [{ name: 'x', rpm: 0 }, /"rpm" must be a whole number from 1 to 10000/],
      [{ name: 'x', rpm: 'ten' }, /"rpm" must be a whole number from 1 to 10000/],
      [{ name: 'x', models: 'openai/*' }, /"models" must be an array of strings/],
      [{ name: 'x', expires_at: 'tomorrow' }, /"expires_at" must be an ISO-8601 date-time/],
      [{ name: 'x', key: 'mine' }, /unknown field "key"/],
      [[], /the body must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      const { status, json } = await h.adminJson('POST', '/client-keys', body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.error.message, JSON.stringify(body)).toMatch(message);
    }
  });

  it('makes a different key every time', async () => {
    const keys = await Promise.all(Array.from({ length: 10 }, (_, i) => create({ name: `k${i}` })));
    expect(new Set(keys.map((k) => k.key)).size).toBe(10);
    expect(new Set(keys.map((k) => k.id)).size).toBe(10);
  });
});
