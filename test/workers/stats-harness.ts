// Shared set-up of test/workers/health.test.ts and kv-budget.test.ts: the Worker entry
// called directly with its own env, over a KV namespace of its own (a name prefix inside
// the shared binding) that counts every write, against the second mock OpenRouter.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect, inject } from 'vitest';
import worker from '../../src/runtime/workers/index';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
export type Json = Record<string, any>;

export const ADMIN = 'stats-admin-test-key-0123';

/** A KV binding seen through a name prefix, counting writes (puts and deletes) and lists by record prefix. */
export function countingKv(kv: KVNamespace, prefix: string) {
  const writes = new Map<string, number>();
  const lists = new Map<string, number>();
  const count = (name: string, counts = writes) => {
    const kind = name.split(':')[0];
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  };
  const binding = {
    get: (name: string, options: unknown) => kv.get(prefix + name, options as 'json'),
    put: (name: string, value: string, options?: KVNamespacePutOptions) => {
      count(name);
      return kv.put(prefix + name, value, options);
    },
    delete: (name: string) => {
      count(name);
      return kv.delete(prefix + name);
    },
    list: async (options: KVNamespaceListOptions) => {
      count(options.prefix ?? '', lists);
      const page = await kv.list({ ...options, prefix: prefix + (options.prefix ?? '') });
      return { ...page, keys: page.keys.map((k) => ({ ...k, name: k.name.slice(prefix.length) })) };
    },
  };
  return { binding: binding as unknown as KVNamespace, writes, lists };
}

/** The Worker with its own env and KV, and helpers to call it. */
export function statsWorker(
  name: string,
  settings: Record<string, string> = {},
  /** Another harness whose KV this one shares: a second isolate of the same deployment. */
  sameKvAs?: { kv: ReturnType<typeof countingKv> },
) {
  const kv = sameKvAs?.kv ?? countingKv(env.ROUTER_KV, `${name}-${crypto.randomUUID()}/`);
  // KV mode (a Pages project without the coordinator's binding): what these tests count is KV's
  // budget, and each harness is a deployment of its own. test/coordinator runs the coordinator.
  const { COORDINATOR: _coordinator, ...kvOnly } = env as typeof env & { COORDINATOR?: unknown };
  const testEnv = {
    ...kvOnly,
    ROUTER_KV: kv.binding,
    OPENROUTER_BASE_URL: inject('statsMockUrl'),
    AUTH_KEY: ADMIN,
    UPSTREAM_TIMEOUT_MS: '2000',
    ...settings,
  };
  const pending: ExecutionContext[] = [];
  const origin = inject('statsMockOrigin');
  const call = (path: string, init: RequestInit = {}) => {
    const ctx = createExecutionContext();
    pending.push(ctx);
    return worker.fetch(new Request(`http://cloudrouter.test${path}`, init), testEnv, ctx);
  };
  const control = async (path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${origin}/__mock/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  };
  const harness = {
    env: testEnv,
    kv,
    writes: kv.writes,
    lists: kv.lists,
    totalWrites: () => [...kv.writes.values()].reduce((a, b) => a + b, 0),
    call,
    admin: (method: string, path: string, body?: unknown) =>
      call(`/admin/api${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    async json(path: string): Promise<Json> {
      const res = await harness.admin('GET', path);
      expect(res.status, path).toBe(200);
      return (await res.json()) as Json;
    },
    chat: (clientKey: string, body: Json = {}) =>
      call('/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: 'Hi' }],
          ...body,
        }),
      }),
    /** The cron trigger, through the Worker's `scheduled` handler. */
    async cron(): Promise<void> {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: '*/5 * * * *' }), testEnv, ctx);
      await waitOnExecutionContext(ctx);
    },
    /** Waits for every request's background work. */
    async settle(): Promise<void> {
      for (const ctx of pending.splice(0)) await waitOnExecutionContext(ctx);
    },
    keyInfo: (key: string, info: Json) => control('key-info', { key, info }),
    /** Requests the mock saw bearing one of these keys. */
    async requestsOf(keys: string[]): Promise<Json[]> {
      return ((await control('requests')).requests as Json[]).filter((r) => keys.includes(r.key));
    },
    async addKeys(...secrets: string[]): Promise<string[]> {
      const res = await harness.admin('POST', '/keys', { keys: secrets });
      expect(res.status).toBe(201);
      return (((await res.json()) as Json).added as Json[]).map((k) => k.id as string);
    },
    async clientKey(body: Json): Promise<{ id: string; key: string }> {
      const res = await harness.admin('POST', '/client-keys', body);
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; key: string };
    },
    async keyViews(): Promise<Map<string, Json>> {
      const list = (await harness.json('/keys')).data as Json[];
      return new Map(list.map((k) => [k.id as string, k]));
    },
  };
  return harness;
}

/** A made-up upstream key, unique per call. */
export function upstreamKey(tag: string): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return `sk-or-v1-${tag}-${random}`;
}
