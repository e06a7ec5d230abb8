/**
 * Cloudflare Pages' two modes (docs/deployment.md, "Cloudflare Pages"), in workerd: the Pages build
 * (`_worker.js`, entry src/runtime/workers/pages.ts) bound to a deployed Worker's coordinator by
 * `script_name` shares the Worker's pool, client keys and limits; without the binding it keeps
 * its records in its own KV namespace (KV mode). Each with its own KV namespace, so that what
 * Pages sees through the binding cannot come from KV.
 */
import { Miniflare, type WorkerOptions } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';
import { wranglerCompatibility } from '../wrangler';
import { ADMIN, type Json, pagesBundle, workerBundle } from './isolates';

let mock: MockOpenRouter;

beforeAll(async () => {
  mock = await startMockOpenRouter();
}, 60_000);

afterAll(async () => {
  await mock?.close();
});

/** Worker `cloudrouter` (the coordinator's home) and/or the Pages build, in one workerd. */
async function start(options: { worker: boolean; bound: boolean }) {
  const { date, flags } = wranglerCompatibility();
  const common = {
    compatibilityDate: date,
    compatibilityFlags: flags,
    bindings: {
      AUTH_KEY: ADMIN,
      OPENROUTER_BASE_URL: mock.url,
      UPSTREAM_TIMEOUT_MS: '5000',
      CONVERSATION_AFFINITY: 'false',
    },
  };
  const workers: WorkerOptions[] = [
    {
      ...common,
      name: 'pages',
      modules: [{ type: 'ESModule', path: '_worker.js', contents: await pagesBundle() }],
      kvNamespaces: { ROUTER_KV: 'pages-kv' },
      durableObjects: options.bound
        ? { COORDINATOR: { className: 'Coordinator', scriptName: 'cloudrouter', useSQLite: true } }
        : undefined,
    },
  ];
  if (options.worker)
    workers.push({
      ...common,
      name: 'cloudrouter',
      modules: [{ type: 'ESModule', path: 'worker.mjs', contents: await workerBundle() }],
      kvNamespaces: { ROUTER_KV: 'worker-kv' },
      durableObjects: { COORDINATOR: { className: 'Coordinator', useSQLite: true } },
    });
  const mf = new Miniflare({ workers, kvPersist: false, durableObjectsPersist: false });
  await mf.ready;
  const fetchOf = async (name: string) => {
    const worker = await mf.getWorker(name);
    return (path: string, init?: RequestInit) =>
      worker.fetch(`https://${name}.test${path}`, init as never) as unknown as Promise<Response>;
  };
  const fetchers = {
    pages: await fetchOf('pages'),
    worker: options.worker ? await fetchOf('cloudrouter') : null,
  };
  type Where = keyof typeof fetchers;
  const to = (where: Where) => {
    const f = fetchers[where];
    if (!f) throw new Error(`no ${where}`);
    return f;
  };
  return {
    mf,
    async admin(where: Where, method: string, path: string, body?: unknown) {
      const res = await to(where)(`/admin/api${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : {}) as Json };
    },
    async chat(where: Where, key: string) {
      const res = await to(where)('/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
      });
      await res.arrayBuffer();
      return res.status;
    },
    /** The record names Pages' own KV namespace holds under a prefix. */
    async pagesKv(prefix: string) {
      const kv = await mf.getKVNamespace('ROUTER_KV', 'pages');
      return (await kv.list({ prefix })).keys.map((k) => k.name);
    },
  };
}

describe('Pages bound to the Worker’s coordinator (script_name)', () => {
  let run: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    run = await start({ worker: true, bound: true });
  }, 120_000);
  afterAll(async () => {
    await run?.mf.dispose();
  });

  it('serves the pool and client keys the Worker holds, at once, and keeps none in its own KV', async () => {
    const added = await run.admin('worker', 'POST', '/keys', {
      keys: ['sk-or-v1-pages-bound-0123456789abcdef0123456789'],
      label: 'from the worker',
    });
    expect(added.status).toBe(201);
    const client = (await run.admin('worker', 'POST', '/client-keys', { name: 'shared' })).json;
    expect(await run.chat('pages', client.key)).toBe(200);
    const keys = (await run.admin('pages', 'GET', '/keys')).json.data as Json[];
    expect(keys.map((k) => k.label)).toEqual(['from the worker']);
    // A change made through Pages is the Worker's too.
    const alias = await run.admin('pages', 'PUT', '/model-map', { aliases: { quick: 'openai/gpt-4o-mini' } });
    expect(alias.status).toBe(200);
    expect(JSON.stringify((await run.admin('worker', 'GET', '/model-map')).json)).toContain('quick');
    expect(await run.pagesKv('key:')).toEqual([]);
    expect(await run.pagesKv('ck:')).toEqual([]);
  });

  it('holds one rpm across the Worker and Pages', async () => {
    const client = (await run.admin('worker', 'POST', '/client-keys', { name: 'limited', rpm: 4 })).json;
    const codes = [];
    for (const where of ['worker', 'pages', 'worker', 'pages', 'pages', 'worker'] as const)
      codes.push(await run.chat(where, client.key));
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
  });
});

describe('Pages without the binding (KV mode)', () => {
  let run: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    run = await start({ worker: false, bound: false });
  }, 120_000);
  afterAll(async () => {
    await run?.mf.dispose();
  });

  it('keeps its records in its own KV namespace and serves from them', async () => {
    const added = await run.admin('pages', 'POST', '/keys', {
      keys: ['sk-or-v1-pages-kv-0123456789abcdef0123456789'],
    });
    expect(added.status).toBe(201);
    const client = (await run.admin('pages', 'POST', '/client-keys', { name: 'kv', rpm: 2 })).json;
    expect(await run.pagesKv('key:')).toHaveLength(1);
    expect(await run.pagesKv('ck:')).toEqual([`ck:${client.id}`]);
    expect([await run.chat('pages', client.key), await run.chat('pages', client.key)]).toEqual([200, 200]);
    expect(await run.chat('pages', client.key)).toBe(429);
  });
});
