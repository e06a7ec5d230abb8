/**
 * An existing deployment (KV only, before the coordinator) upgraded: the
 * first start of the coordinator takes its records over from KV, with no
 * manual step, and nothing is lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';
import { type Json, startIsolates } from './isolates';

let mock: MockOpenRouter;
let dir = '';

beforeAll(async () => {
  mock = await startMockOpenRouter();
  dir = mkdtempSync(join(tmpdir(), 'cloudrouter-upgrade-'));
});

afterAll(async () => {
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('takes over the keys, states, client keys, settings and model map a KV deployment stored', async () => {
  const before = await startIsolates({ count: 1, mockUrl: mock.url, coordinator: false, persistDir: dir });
  const secrets = [
    'sk-or-v1-upgrade-a-0123456789abcdef0123456789',
    'sk-or-v1-upgrade-b-0123456789abcdef0123456789',
  ];
  let client: Json;
  try {
    expect((await before.admin(0, 'POST', '/keys', { keys: secrets, label: 'old' })).status).toBe(201);
    client = (await before.admin(0, 'POST', '/client-keys', { name: 'kept', rpm: 30 })).json;
    expect(
      (await before.admin(0, 'PUT', '/model-map', { aliases: { fast: 'openai/gpt-4o-mini' } })).status,
    ).toBe(200);
  } finally {
    await before.dispose();
  }

  const after = await startIsolates({ count: 2, mockUrl: mock.url, persistDir: dir });
  try {
    const keys = (await after.admin(1, 'GET', '/keys')).json.data as Json[];
    expect(keys.map((k) => k.label).sort()).toEqual(['old', 'old']);
    const clients = (await after.admin(1, 'GET', '/client-keys')).json.data as Json[];
    expect(clients).toEqual([expect.objectContaining({ id: client.id, name: 'kept', rpm: 30 })]);
    const map = (await after.admin(0, 'GET', '/model-map')).json;
    expect(JSON.stringify(map)).toContain('fast');
    const answer = await after.fetch(0, '/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${client.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(answer.status).toBe(200);
  } finally {
    await after.dispose();
  }
}, 120_000);
