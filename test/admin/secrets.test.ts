/**
 * No response, log line or stored client-key record holds a secret in full:
 * a whole session of admin calls and proxy traffic (successes, failover over
 * bad keys, streams, errors), with every log line and every answer kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY_PREFIX } from '../../src/client-keys/client-key-record';
import { listAll } from '../../src/store/types';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';
import { ADMIN_KEY, type AdminHarness, fakeKey, type Json, startAdminHarness } from './admin-harness';

let mock: MockOpenRouter;
let h: AdminHarness;
const proxyAnswers: string[] = [];

beforeAll(async () => {
  mock = await startMockOpenRouter();
  h = await startAdminHarness({
    OPENROUTER_BASE_URL: mock.url,
    UPSTREAM_TIMEOUT_MS: '2000',
    MAX_ATTEMPTS: '6',
    // Its requests repeat one body: by conversation they would all go to one key, and the test
    // wants the rotation to meet every bad key.
    CONVERSATION_AFFINITY: 'false',
  });
});

afterAll(async () => {
  await h?.close();
  await mock?.close();
});

async function proxy(path: string, key: string, body?: unknown): Promise<number> {
  const res = await fetch(`${h.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const headers = JSON.stringify([...res.headers]);
  proxyAnswers.push(headers + (await res.text()));
  return res.status;
}

const chat = (extra: Json = {}) => ({
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hi' }],
  ...extra,
});

describe('secrets', () => {
  it('never appear in full in a response, a log line or a stored client-key record', async () => {
    const upstream = {
      good: fakeKey('good'),
      invalid: fakeKey('inv'),
      limited: fakeKey('lim'),
      broke: fakeKey('brk'),
      failing: fakeKey('err'),
    };
    mock.always(upstream.invalid, { status: 401 });
    mock.always(upstream.limited, { status: 429, headers: { 'retry-after': '60' } });
    // No credit, as its GET /key says (a 402 alone no longer exhausts a key).
    mock.keyInfo(upstream.broke, { limit: 5, limit_remaining: 0, usage: 5 });
    mock.always(upstream.failing, { status: 500 });
    const secrets = Object.values(upstream);

    // Admin calls: import (twice, so duplicates are met), list, patch, check, delete.
    const imported = await h.adminJson('POST', '/keys', { keys: secrets, label: 'pool' });
    expect(imported.status).toBe(201);
    expect(
      (await h.adminJson('POST', '/keys', { keys: [...secrets, ` ${upstream.good} `] })).json.skipped,
    ).toBe(6);
    const spare = fakeKey('spare');
    const [spareView] = (await h.adminJson('POST', '/keys', { keys: [spare] })).json.added;
    await h.adminJson('PATCH', `/keys/${spareView.id}`, { enabled: false, label: 'spare' });
    await h.adminJson('DELETE', `/keys/${spareView.id}`);
    await h.adminJson('POST', '/keys/check');

    // Client keys: each plaintext may appear in its own create answer only.
    const created = await h.admin('POST', '/client-keys', { name: 'app', models: ['openai/*'] });
    const createdIndex = h.answers.length - 1;
    const client = (await created.json()) as Json;
    const other = await h.adminJson('POST', '/client-keys', { name: 'other' });
    const otherIndex = h.answers.length - 1;
    await h.adminJson('PATCH', `/client-keys/${other.json.id}`, { enabled: false });
    await h.adminJson('GET', '/client-keys');
    await h.adminJson('PUT', '/model-map', { aliases: { fast: 'openai/gpt-4o-mini' } });

    // Proxy traffic: every request succeeds through failover; bad keys get marked.
    for (let i = 0; i < 12; i++) expect(await proxy('/v1/chat/completions', client.key, chat())).toBe(200);
    expect(await proxy('/v1/chat/completions', client.key, chat({ stream: true, model: 'fast' }))).toBe(200);
    expect(await proxy('/v1/models', client.key)).toBe(200);
    expect(
      await proxy('/v1/chat/completions', client.key, chat({ model: 'anthropic/claude-3.5-sonnet' })),
    ).toBe(403);
    expect(await proxy('/v1/chat/completions', other.json.key, chat())).toBe(401);
    expect(await proxy('/v1/chat/completions', `${client.key}x`, chat())).toBe(401);
    expect(await proxy('/v1/chat/completions', ADMIN_KEY, chat())).toBe(401);
    const views = (await h.adminJson('GET', '/keys')).json.data as Json[];
    expect(new Set(views.map((k) => k.status))).toEqual(
      new Set(['active', 'invalid', 'cooldown', 'exhausted']),
    );

    // Admin auth failures with secrets as the bearer.
    await h.adminJson('GET', '/keys', undefined, { auth: client.key });
    await h.adminJson('GET', '/keys', undefined, { auth: upstream.good });
    await fetch(`${h.url}/health`)
      .then((r) => r.text())
      .then((t) => proxyAnswers.push(t));

    // What was said: logs, admin answers (but the two create answers' `key`), proxy answers.
    // The logs name keys, by their hints.
    expect(h.logs.some((line) => line.includes('"key_hint":"sk-or-v1-…'))).toBe(true);
    const clientKeys = [client.key as string, other.json.key as string];
    const allowed = new Set([createdIndex, otherIndex]);
    const answers = h.answers.map((a, i) => {
      if (!allowed.has(i)) return a.body;
      const { key, ...rest } = JSON.parse(a.body) as Json;
      expect(clientKeys).toContain(key);
      return JSON.stringify(rest);
    });
    const said = [...h.logs, ...answers, ...proxyAnswers];
    for (const secret of [...secrets, spare, ...clientKeys, ADMIN_KEY]) {
      for (const text of said) {
        expect(text.includes(secret), `${secret.slice(0, 12)}… in ${text.slice(0, 200)}`).toBe(false);
        // Nor any long piece of it beyond the hint.
        expect(text.includes(secret.slice(-24)), `tail of ${secret.slice(0, 12)}…`).toBe(false);
      }
    }

    // Stored client-key records: hash and hint only.
    const stored = JSON.stringify([
      await listAll(h.server.store, CLIENT_KEY_PREFIX),
      await h.server.store.get(`${CLIENT_KEY_PREFIX}${client.id}`),
      await h.server.store.get(`${CLIENT_KEY_PREFIX}${other.json.id}`),
    ]);
    for (const key of clientKeys) {
      expect(stored).not.toContain(key);
      expect(stored).not.toContain(key.slice(-24));
    }
  }, 120_000);
});
