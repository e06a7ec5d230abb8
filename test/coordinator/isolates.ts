/**
 * Several isolates of the Worker over one coordinator, as Cloudflare runs a
 * busy deployment: one Miniflare holding copies of the Worker bundled as
 * wrangler would (each its own isolate), sharing one KV namespace and one
 * Durable Object, in front of the mock OpenRouter.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare, type WorkerOptions } from 'miniflare';
import { wranglerCompatibility } from '../wrangler';

const ROOT = join(import.meta.dirname, '..', '..');
export const ADMIN = 'isolates-admin-key';

const bundled = new Map<string, Promise<string>>();

/** The Worker as wrangler bundles it (built once per test file). */
export function workerBundle(): Promise<string> {
  return bundle('src/runtime/workers/index.ts');
}

/** The Pages build's `_worker.js`, bundled as scripts/build-pages.mjs does (built once per test file). */
export function pagesBundle(): Promise<string> {
  return bundle('src/runtime/workers/pages.ts');
}

function bundle(entry: string): Promise<string> {
  const made = bundled.get(entry);
  if (made) return made;
  const building = build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    external: ['cloudflare:*'],
    logLevel: 'warning',
  }).then((result) => result.outputFiles[0].text);
  bundled.set(entry, building);
  return building;
}

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
export type Json = Record<string, any>;

/** The running isolates. */
export interface Isolates {
  mf: Miniflare;
  /** A request to isolate `i`. */
  fetch(i: number, path: string, init?: RequestInit): Promise<Response>;
  /** An admin API call through isolate `i`; answers status and JSON. */
  admin(i: number, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }>;
  /** Creates a client key through isolate `i` (a fresh name each time, `body` on top); fails unless 201. */
  clientKey(i: number, body?: Json): Promise<{ id: string; key: string }>;
  /** A chat request through isolate `i` with a client key. */
  chat(i: number, clientKey: string): Promise<Response>;
  /**
   * With `switchable`: the coordinator answers (`up`), never answers (`hang`: a call nobody
   * answers), or fails every call at once (`fail`, as Cloudflare's `overloaded` does).
   */
  coordinator(mode: 'up' | 'hang' | 'fail'): Promise<void>;
  /** With `switchable`: the calls the coordinator got while it was not `up`. */
  refusedCalls(): Promise<number>;
  /** With `switchable`: ends the coordinator's object (its memory); the next call starts it again over its storage. */
  restartCoordinator(): Promise<void>;
  dispose(): Promise<void>;
}

/** Options of {@link startIsolates}. */
export interface IsolatesOptions {
  count: number;
  mockUrl: string;
  /** With the coordinator's binding (default), or without it: KV mode, as before the coordinator. */
  coordinator?: boolean;
  /** Keep KV and Durable Object data here (to start again over the same data). */
  persistDir?: string;
  bindings?: Record<string, string>;
  /**
   * The coordinator runs in a worker of its own (`coordinator`), the real class under a switch
   * the test turns ({@link Isolates.coordinator}), as a deployed Worker's object reached by `script_name`.
   */
  switchable?: boolean;
}

/**
 * The worker holding a switchable coordinator: the Worker's own `Coordinator`, whose calls
 * hang or fail while the test says so, and which can be aborted (its memory lost, its storage kept).
 */
const SWITCH_HOST = `
import { Coordinator as Real } from './worker.mjs';
let mode = 'up';
let refused = 0;
export class Coordinator extends Real {
  handle(request) {
    if (mode !== 'up') refused++;
    if (mode === 'hang') return new Promise(() => {});
    if (mode === 'fail') throw new Error('Durable Object is overloaded');
    return super.handle(request);
  }
  restart() { this.ctx.abort('restarted by the test'); }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/restart') {
      const stub = env.COORDINATOR.get(env.COORDINATOR.idFromName('cloudrouter'));
      await stub.restart().catch(() => {});
      return new Response('restarted');
    }
    if (url.pathname === '/refused') return new Response(String(refused));
    mode = url.searchParams.get('mode') ?? mode;
    return new Response(mode);
  },
};
`;

/** Starts `count` isolates of the Worker over one KV namespace and (by default) one coordinator. */
export async function startIsolates(options: IsolatesOptions): Promise<Isolates> {
  const contents = await workerBundle();
  const { date, flags } = wranglerCompatibility();
  const withCoordinator = options.coordinator ?? true;
  const host = options.switchable ? 'coordinator' : 'isolate-0';
  const workers: WorkerOptions[] = Array.from({ length: options.count }, (_, i) => ({
    name: `isolate-${i}`,
    modules: [{ type: 'ESModule' as const, path: 'worker.mjs', contents }],
    compatibilityDate: date,
    compatibilityFlags: flags,
    kvNamespaces: { ROUTER_KV: 'shared-router-kv' },
    durableObjects: withCoordinator
      ? { COORDINATOR: { className: 'Coordinator', scriptName: host, useSQLite: true } }
      : undefined,
    bindings: {
      AUTH_KEY: ADMIN,
      OPENROUTER_BASE_URL: options.mockUrl,
      UPSTREAM_TIMEOUT_MS: '5000',
      ...options.bindings,
    },
  }));
  const hosts: WorkerOptions[] = options.switchable
    ? [
        {
          name: 'coordinator',
          modules: [
            { type: 'ESModule' as const, path: 'host.mjs', contents: SWITCH_HOST },
            { type: 'ESModule' as const, path: 'worker.mjs', contents },
          ],
          compatibilityDate: date,
          compatibilityFlags: flags,
          kvNamespaces: { ROUTER_KV: 'shared-router-kv' },
          durableObjects: { COORDINATOR: { className: 'Coordinator', useSQLite: true } },
        },
      ]
    : [];
  const mf = new Miniflare({
    workers: [...workers, ...hosts],
    kvPersist: options.persistDir ? join(options.persistDir, 'kv') : false,
    durableObjectsPersist: options.persistDir ? join(options.persistDir, 'do') : false,
  });
  await mf.ready;
  const fetchers = await Promise.all(workers.map((w) => mf.getWorker(w.name as string)));
  let clientKeys = 0;
  const isolates: Isolates = {
    mf,
    fetch: (i, path, init) =>
      fetchers[i].fetch(`https://cloudrouter.test${path}`, init as never) as unknown as Promise<Response>,
    async admin(i, method, path, body) {
      const res = await isolates.fetch(i, `/admin/api${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : {}) as Json };
    },
    async clientKey(i, body = {}) {
      const { status, json } = await isolates.admin(i, 'POST', '/client-keys', {
        name: `client-${++clientKeys}`,
        ...body,
      });
      if (status !== 201)
        throw new Error(`POST /client-keys through isolate ${i}: ${status} ${JSON.stringify(json)}`);
      return { id: json.id, key: json.key };
    },
    chat: (i, clientKey) =>
      isolates.fetch(i, '/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
      }),
    async coordinator(mode) {
      const worker = await mf.getWorker('coordinator');
      await (await worker.fetch(`https://coordinator.test/?mode=${mode}`)).text();
    },
    async refusedCalls() {
      const worker = await mf.getWorker('coordinator');
      return Number(await (await worker.fetch('https://coordinator.test/refused')).text());
    },
    async restartCoordinator() {
      const worker = await mf.getWorker('coordinator');
      await (await worker.fetch('https://coordinator.test/restart')).text();
    },
    dispose: () => mf.dispose(),
  };
  return isolates;
}
