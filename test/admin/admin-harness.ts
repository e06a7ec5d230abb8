/**
 * The admin API's integration tests: the real Node server in-process on port
 * 0 (SQLite in memory), a logger that keeps every line, and an admin client
 * that keeps every answer, so a test can check that no secret leaked.
 */
import { parseConfig } from '../../src/config';
import type { Logger } from '../../src/deps';
import { type RunningServer, startServer } from '../../src/runtime/node/server';

export const ADMIN_KEY = 'cra-test-admin-key-0123456789abcdef';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
export type Json = Record<string, any>;

/** A running server and what it said. */
export interface AdminHarness {
  server: RunningServer;
  url: string;
  /** Every log line, as JSON text. */
  logs: string[];
  /** Every answer body the admin client received, with its status. */
  answers: Array<{ status: number; body: string }>;
  /** A call to the admin API; `auth` null sends no Authorization header. */
  admin(method: string, path: string, body?: unknown, init?: AdminInit): Promise<Response>;
  /** The same, answering status and parsed JSON (null for an empty body). */
  adminJson(
    method: string,
    path: string,
    body?: unknown,
    init?: AdminInit,
  ): Promise<{ status: number; json: Json }>;
  close(): Promise<void>;
}

/** Options of one admin call. */
export interface AdminInit {
  auth?: string | null;
  /** Sent as-is instead of JSON.stringify(body). */
  raw?: string;
  headers?: Record<string, string>;
}

/** Starts the server; `env` adds or overrides settings. */
export async function startAdminHarness(env: Record<string, string> = {}): Promise<AdminHarness> {
  const logs: string[] = [];
  const logger: Logger = {
    log: (level, message, fields) => logs.push(JSON.stringify({ level, message, ...fields })),
  };
  const server = await startServer(
    parseConfig({
      PORT: '0',
      AUTH_KEY: ADMIN_KEY,
      // Nothing listens there: these tests never reach upstream.
      OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1',
      LOG_LEVEL: 'debug',
      ...env,
    }),
    { databaseFile: ':memory:', logger },
  );
  const answers: AdminHarness['answers'] = [];
  const admin = async (method: string, path: string, body?: unknown, init: AdminInit = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
    const auth = init.auth === undefined ? ADMIN_KEY : init.auth;
    if (auth !== null) headers.authorization = `Bearer ${auth}`;
    const res = await fetch(`${server.url}/admin/api${path}`, {
      method,
      headers,
      body:
        method === 'GET' ? undefined : (init.raw ?? (body === undefined ? undefined : JSON.stringify(body))),
    });
    const text = await res.text();
    answers.push({ status: res.status, body: text });
    return new Response(text || null, { status: res.status, headers: res.headers });
  };
  return {
    server,
    url: server.url,
    logs,
    answers,
    admin,
    async adminJson(method, path, body, init) {
      const res = await admin(method, path, body, init);
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
    },
    close: () => server.close(0),
  };
}

/** A made-up OpenRouter key, unique per call. */
export function fakeKey(tag = ''): string {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0'));
  return `sk-or-v1-${tag}${hex.join('')}`.slice(0, 73);
}
