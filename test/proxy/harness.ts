/**
 * Shared set-up of the proxy's integration tests: a mock OpenRouter, the real
 * Node server in-process on port 0 (SQLite in memory), a client key made
 * through the admin API, and helpers to import upstream keys and call the proxy.
 */
import OpenAI from 'openai';
import { parseConfig } from '../../src/config';
import type { Logger } from '../../src/deps';
import { type RunningServer, startServer } from '../../src/runtime/node/server';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';

export const ADMIN_KEY = 'test-admin-key-0123456789';

const silent: Logger = { log: () => {} };

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
export type Json = Record<string, any>;

/** A running proxy in front of a mock OpenRouter. */
export interface Harness {
  mock: MockOpenRouter;
  server: RunningServer;
  /** The proxy's origin, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  /** A client key made through the admin API. */
  clientKey: string;
  /** A call to the admin API, as the admin. */
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  /** Imports upstream keys through the admin API; answers their ids in the same order. */
  addKeys(...secrets: string[]): Promise<string[]>;
  /** Removes every upstream key from the pool (admin API). */
  clearKeys(): Promise<void>;
  /** The admin API's view of every key, by id. */
  keyViews(): Promise<Map<string, Json>>;
  /** A POST to the proxy with the client key (or `auth`) and a JSON (or raw string) body. */
  post(
    path: string,
    body: unknown,
    init?: { auth?: string | null; headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<Response>;
  /** An `openai` SDK client on the proxy (`/v1` unless `base` says otherwise), without retries. */
  openai(base?: '/v1' | '/api/v1'): OpenAI;
  close(): Promise<void>;
}

/** A mock OpenRouter and the Node server in front of it, in-process (SQLite in memory, no logs). */
export async function startMockAndServer(
  env: Record<string, string>,
): Promise<{ mock: MockOpenRouter; server: RunningServer }> {
  const mock = await startMockOpenRouter();
  const server = await startServer(parseConfig({ PORT: '0', OPENROUTER_BASE_URL: mock.url, ...env }), {
    databaseFile: ':memory:',
    logger: silent,
  });
  return { mock, server };
}

/** Starts the mock and the proxy; `env` adds or overrides settings. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const { mock, server } = await startMockAndServer({
    AUTH_KEY: ADMIN_KEY,
    UPSTREAM_TIMEOUT_MS: '300',
    ...env,
  });
  const url = server.url;
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${url}/admin/api${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const created = await admin('POST', '/client-keys', { name: 'tests' });
  if (created.status !== 201) throw new Error(`client key: ${created.status} ${await created.text()}`);
  const clientKey = ((await created.json()) as Json).key as string;

  const harness: Harness = {
    mock,
    server,
    url,
    clientKey,
    admin,
    async addKeys(...secrets) {
      const res = await admin('POST', '/keys', { keys: secrets });
      if (res.status !== 201) throw new Error(`import: ${res.status} ${await res.text()}`);
      const added = ((await res.json()) as Json).added as Json[];
      // `added` is in import order; every secret here is new.
      if (added.length !== secrets.length)
        throw new Error(`import added ${added.length} of ${secrets.length}`);
      return added.map((k) => k.id as string);
    },
    async clearKeys() {
      const list = ((await (await admin('GET', '/keys')).json()) as Json).data as Json[];
      for (const key of list) await admin('DELETE', `/keys/${key.id}`);
    },
    async keyViews() {
      const list = ((await (await admin('GET', '/keys')).json()) as Json).data as Json[];
      return new Map(list.map((k) => [k.id as string, k]));
    },
    post(path, body, init = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
      const auth = init.auth === undefined ? clientKey : init.auth;
      if (auth) headers.authorization = `Bearer ${auth}`;
      return fetch(`${url}${path}`, {
        method: 'POST',
        headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
        signal: init.signal,
      });
    },
    openai(base = '/v1') {
      return new OpenAI({ apiKey: clientKey, baseURL: `${url}${base}`, maxRetries: 0, timeout: 20_000 });
    },
    async close() {
      await server.close(0);
      await mock.close();
    },
  };
  return harness;
}

/** A made-up upstream key, unique per call, shaped like OpenRouter's. */
export function upstreamKey(tag: string): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return `sk-or-v1-${tag}${random}`.slice(0, 73);
}

/** A chat request body for a catalogue model. */
export function chatBody(extra: Json = {}): Json {
  return { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], ...extra };
}

/** The JSON payloads of an SSE text (comments and `[DONE]` skipped). */
export function sseData(text: string): Json[] {
  return text
    .split(/\r?\n\r?\n/)
    .flatMap((block) => block.split(/\r?\n/).filter((l) => l.startsWith('data:')))
    .map((line) => line.slice(5).trim())
    .filter((data) => data && data !== '[DONE]')
    .map((data) => JSON.parse(data) as Json);
}
