import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import worker from '../../src/runtime/workers/index';
import {
  DATA_POLICY_MESSAGE,
  GUARDRAIL_MESSAGE,
  KEY_LIMIT_MESSAGE,
  MODERATION_MESSAGE,
} from '../mock-openrouter/payloads';
import { countingKv } from './stats-harness';

// A shared 2-core machine: generous bounds; no test asserts on wall-clock speed.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

// Issue 13 inside workerd: the Worker entry over KV and the fetch transport, against a mock
// OpenRouter of its own, with the default MAX_ATTEMPTS (4).

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
type Json = Record<string, any>;

const ADMIN = 'failover-test-admin-key-0123';
const MODEL = 'openai/gpt-4o-mini';
const FREE = 'meta-llama/llama-3.1-8b-instruct:free';
const mockOrigin = inject('failoverMockOrigin');
// One env object for the file (the Worker builds one app per env), over its own part of KV.
const testEnv = {
  ...env,
  ROUTER_KV: countingKv(env.ROUTER_KV, 'failover:').binding,
  OPENROUTER_BASE_URL: inject('failoverMockUrl'),
  AUTH_KEY: ADMIN,
  UPSTREAM_TIMEOUT_MS: '500',
  // Rotation by request: these tests repeat one body, which by conversation would go to one key.
  CONVERSATION_AFFINITY: 'false',
};

const pending: ExecutionContext[] = [];

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  pending.push(ctx);
  return worker.fetch(new Request(`http://cloudrouter.test${path}`, init), testEnv, ctx);
}

/** Waits for the background work of every call so far (arrival checks, state writes). */
async function settled(): Promise<void> {
  for (const ctx of pending.splice(0)) await waitOnExecutionContext(ctx);
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
  always: (key: string, reply: Json) => control('always', { key, reply }),
  keyInfo: (key: string, info: Json) => control('key-info', { key, info }),
  chatRequests: async () =>
    ((await control('requests')).requests as Json[]).filter((r) => r.path.endsWith('/chat/completions')),
};

function upstreamKey(tag: string): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return `sk-or-v1-${tag}-${random}`;
}

/** Empties the pool, then imports these keys; answers their ids. */
async function poolOf(...secrets: string[]): Promise<string[]> {
  const list = ((await (await admin('GET', '/keys')).json()) as Json).data as Json[];
  for (const key of list) expect((await admin('DELETE', `/keys/${key.id}`)).status).toBe(204);
  const res = await admin('POST', '/keys', { keys: secrets });
  expect(res.status).toBe(201);
  return (((await res.json()) as Json).added as Json[]).map((k) => k.id as string);
}

async function statuses(): Promise<Map<string, Json>> {
  const list = ((await (await admin('GET', '/keys')).json()) as Json).data as Json[];
  return new Map(list.map((k) => [k.id as string, k]));
}

let clientKey = '';
beforeAll(async () => {
  const res = await admin('POST', '/client-keys', { name: 'failover-tests' });
  expect(res.status).toBe(201);
  clientKey = ((await res.json()) as Json).key;
});
beforeEach(() => control('reset', {}));
afterEach(settled);

function chat(body: Json = {}): Promise<Response> {
  return call('/v1/chat/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...body }),
  });
}

const sentBy = (requests: Json[], secret: string) => requests.filter((r) => r.key === secret).length;

describe('failover in workerd', () => {
  it('one good key among many bad ones serves every request, the first included, each bad key at most once', async () => {
    const bad = {
      invalid: upstreamKey('r401'),
      noCredit: upstreamKey('r402'),
      limited: upstreamKey('r429'),
      keyLimit: upstreamKey('r403limit'),
      guardrail: upstreamKey('r403guard'),
      dataPolicy: upstreamKey('r404policy'),
      invalidIn200: upstreamKey('r200err'),
      management: upstreamKey('mgmt'),
      failing: upstreamKey('r500'),
      silent: upstreamKey('hang'),
    };
    const good = upstreamKey('good');
    await mock.always(bad.invalid, { status: 401 });
    await mock.keyInfo(bad.noCredit, { limit: 5, limit_remaining: 0, usage: 5 });
    await mock.always(bad.limited, { status: 429, headers: { 'retry-after': '60' } });
    await mock.always(bad.keyLimit, { status: 403, error: { message: KEY_LIMIT_MESSAGE } });
    await mock.always(bad.guardrail, { status: 403, error: { message: GUARDRAIL_MESSAGE } });
    await mock.always(bad.dataPolicy, { status: 404, error: { message: DATA_POLICY_MESSAGE } });
    await mock.always(bad.invalidIn200, {
      status: 200,
      body: { error: { code: 401, message: 'User not found.' } },
    });
    await mock.keyInfo(bad.management, { is_management_key: true, is_provisioning_key: true });
    await mock.always(bad.failing, { status: 500 });
    await mock.always(bad.silent, { hang: true });
    await poolOf(...Object.values(bad), good);
    for (let i = 0; i < 5; i++) {
      const before = (await mock.chatRequests()).length;
      const res = await chat();
      const body = (await res.json()) as Json;
      expect(res.status, `request ${i}: ${JSON.stringify(body)}`).toBe(200);
      expect(body.choices[0].message.content).toBeTruthy();
      const during = (await mock.chatRequests()).slice(before);
      for (const secret of Object.values(bad)) expect(sentBy(during, secret)).toBeLessThanOrEqual(1);
      expect(Number(res.headers.get('x-cloudrouter-attempts'))).toBe(during.length);
    }
  });

  it('upstream 401s reach the client as 503 no_available_keys, never 401', async () => {
    await poolOf(upstreamKey('dead1'), upstreamKey('dead2'));
    await mock.always('*', { status: 401 });
    const res = await chat();
    expect(res.status).toBe(503);
    const body = (await res.json()) as Json;
    expect(body.error).toMatchObject({ code: 'no_available_keys', type: 'service_unavailable' });
    expect(body.error.message).toMatch(/keys tried: sk-or-v1-…\w{4} \(401 invalid_key\)/);
  });

  it('requests with an unaffordable max_tokens get a 400 and leave the pool serving others', async () => {
    const keys = [upstreamKey('c1'), upstreamKey('c2')];
    for (const key of keys) await mock.keyInfo(key, { limit: 1, limit_remaining: 0.01, usage: 0.99 });
    const ids = await poolOf(...keys);
    for (let i = 0; i < 2; i++) {
      const res = await chat({ max_tokens: 64_000 });
      expect(res.status).toBe(400);
      expect(((await res.json()) as Json).error.code).toBe('request_unaffordable');
    }
    await settled();
    const views = await statuses();
    for (const id of ids) expect(views.get(id)?.status).toBe('active');
    const res = await chat();
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('a free-model 429 leaves paid traffic on that key', async () => {
    const [spent, other] = [upstreamKey('freespent'), upstreamKey('other')];
    await mock.keyInfo(spent, { free_model_daily_requests: { limit: 50, remaining: 0, used: 50 } });
    const [spentId] = await poolOf(spent, other);
    for (let i = 0; i < 2; i++) {
      const res = await chat({ model: FREE });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    expect((await statuses()).get(spentId)?.status).toBe('active');
    const before = (await mock.chatRequests()).length;
    for (let i = 0; i < 4; i++) {
      const res = await chat();
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    expect(sentBy((await mock.chatRequests()).slice(before), spent)).toBeGreaterThanOrEqual(1);
  });

  it('the data-policy 404 is served by another key', async () => {
    const [strict, open] = [upstreamKey('strict'), upstreamKey('open')];
    await mock.always(strict, { status: 404, error: { message: DATA_POLICY_MESSAGE } });
    await poolOf(strict, open);
    for (let i = 0; i < 3; i++) {
      const res = await chat();
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    expect(sentBy(await mock.chatRequests(), strict)).toBe(1);
  });

  it('the moderation rule is the same for a stream answered with a JSON error: passed once, no key penalised', async () => {
    const ids = await poolOf(upstreamKey('a'), upstreamKey('b'));
    const error = {
      code: 403,
      message: MODERATION_MESSAGE,
      metadata: { reasons: ['violence'], flagged_input: 'x' },
    };
    await mock.always('*', { status: 200, body: { error } });
    for (const stream of [false, true]) {
      const res = await chat(stream ? { stream: true } : {});
      expect(await res.text()).toContain('requires moderation');
    }
    expect(await mock.chatRequests()).toHaveLength(2);
    const views = await statuses();
    for (const id of ids) expect(views.get(id)?.status).toBe('active');
  });

  it('keys are checked on arrival: dead and management keys are out before any traffic', async () => {
    const [dead, management, good] = [upstreamKey('dead'), upstreamKey('mgmt'), upstreamKey('good')];
    await mock.keyInfo(dead, { status: 401 });
    await mock.keyInfo(management, { is_management_key: true });
    await mock.keyInfo(good, {});
    const [deadId, managementId, goodId] = await poolOf(dead, management, good);
    await settled();
    const views = await statuses();
    expect(views.get(deadId)?.status).toBe('invalid');
    expect(views.get(managementId)?.status).toBe('invalid');
    expect(JSON.stringify(views.get(managementId))).toMatch(/management/i);
    expect(views.get(goodId)?.status).toBe('active');
    const res = await chat();
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect((await mock.chatRequests()).map((r) => r.key)).toEqual([good]);
  });
});
