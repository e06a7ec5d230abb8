/**
 * CloudRouter as a user runs it: `node dist/node/main.js` (what `npm start`
 * runs after the build), a real process with a DATA_DIR, in front of the
 * mock OpenRouter.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/runtime/node/sqlite-store';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';
import { baseEnv, builtMain, startCloudRouter, startProcess, stopProcess } from './node-process';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
type Json = Record<string, any>;

let mock: MockOpenRouter;
const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloudrouter-node-'));
  dirs.push(dir);
  return dir;
}

function upstreamKey(tag: string): string {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0'));
  return `sk-or-v1-${tag}${hex.join('')}`.slice(0, 73);
}

async function call(url: string, method: string, path: string, auth: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Json, text };
}

beforeAll(async () => {
  builtMain();
  mock = await startMockOpenRouter();
}, 180_000);

afterAll(async () => {
  await mock?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the command line', () => {
  it('stops on PORT=abc with one clear line on stderr and a non-zero exit', async () => {
    const proc = startProcess(baseEnv({ PORT: 'abc', DATA_DIR: dataDir() }));
    const { code } = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.stderr()).toBe('cloudrouter: PORT must be a whole number, got "abc"\n');
    expect(proc.stdout()).toBe('');
  }, 60_000);

  it('prints the usage on --help and exits 0', async () => {
    const proc = startProcess(baseEnv({}), ['--help']);
    const { code } = await proc.exited;
    expect(code).toBe(0);
    expect(proc.stdout()).toMatch(/^Usage: cloudrouter/);
    expect(proc.stdout()).toContain('--port');
    expect(proc.stderr()).toBe('');
  }, 60_000);

  it('refuses an unknown option with one line and a non-zero exit', async () => {
    const proc = startProcess(baseEnv({ DATA_DIR: dataDir() }), ['--bogus']);
    const { code } = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.stderr()).toBe('cloudrouter: unknown option --bogus; see --help\n');
  }, 60_000);

  it('refuses an AUTH_KEY under 16 characters with one line saying how to make a good one, exit 1', async () => {
    const proc = startProcess(baseEnv({ PORT: '0', AUTH_KEY: 'abcde', DATA_DIR: dataDir() }));
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr()).toMatch(
      /^cloudrouter: AUTH_KEY is 5 characters long; it must be at least 16\. .*openssl rand -hex 32/,
    );
  }, 60_000);

  it('says in one line that the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const proc = startProcess(
        baseEnv({ PORT: String(port), AUTH_KEY: 'port-test-admin-key-0123', DATA_DIR: dataDir() }),
      );
      const { code } = await proc.exited;
      expect(code).not.toBe(0);
      expect(proc.stderr()).toMatch(
        new RegExp(`^cloudrouter: cannot listen on 127\\.0\\.0\\.1:${port}: .*\\n$`),
      );
    } finally {
      blocker.close();
    }
  }, 60_000);
});

describe('a restart with the same DATA_DIR', () => {
  it('keeps keys, client keys, the model map and the generated admin key, printed only once', async () => {
    const dir = dataDir();
    // Rotation by request: its chats repeat one body, which by conversation would stay on one key.
    const env = baseEnv({
      PORT: '0',
      DATA_DIR: dir,
      OPENROUTER_BASE_URL: mock.url,
      CONVERSATION_AFFINITY: 'false',
    });
    const secrets = [upstreamKey('r1'), upstreamKey('r2'), upstreamKey('r3')];
    const map = { aliases: { 'deepseek-coder': 'deepseek/deepseek-coder', 'gpt-4o*': 'openai/gpt-4o*' } };

    // First start: the admin key is generated and printed with the URL.
    const first = await startCloudRouter(env);
    const adminKey = first.proc.stdout().match(/admin key:\s+(\S+)/)?.[1] ?? '';
    expect(adminKey).toMatch(/^cra-[0-9a-f]{64}$/);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    const imported = await call(first.url, 'POST', '/admin/api/keys', adminKey, {
      keys: secrets,
      label: 'kept',
    });
    expect(imported.status).toBe(201);
    const ids = (imported.json.added as Json[]).map((k) => k.id);
    expect(
      (await call(first.url, 'PATCH', `/admin/api/keys/${ids[2]}`, adminKey, { enabled: false })).status,
    ).toBe(200);
    const created = await call(first.url, 'POST', '/admin/api/client-keys', adminKey, { name: 'restart' });
    expect(created.status).toBe(201);
    const clientKey = created.json.key as string;
    expect((await call(first.url, 'PUT', '/admin/api/model-map', adminKey, map)).status).toBe(200);
    expect((await call(first.url, 'GET', '/v1/models', clientKey)).status).toBe(200);
    // Upstream refuses the second key: the proxy fails over and marks it invalid, which must outlive the restart.
    mock.always(secrets[1], { status: 401 });
    for (let i = 0; i < 4; i++) {
      const chat = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };
      expect((await call(first.url, 'POST', '/v1/chat/completions', clientKey, chat)).status).toBe(200);
    }
    const keysBefore = (await call(first.url, 'GET', '/admin/api/keys', adminKey)).json.data;
    expect(await stopProcess(first.proc)).toEqual({ code: 0, signal: null });

    const keyFile = join(dir, 'admin-key');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(adminKey);
    expect(statSync(keyFile).mode & 0o077).toBe(0);

    // Second start: the same admin key works, and it is not printed again.
    const second = await startCloudRouter(env);
    expect(second.proc.stdout()).not.toContain(adminKey);
    expect(second.proc.stdout()).toMatch(/admin key:\s+kept in .*admin-key/);
    expect((await call(second.url, 'GET', '/admin/api/keys', 'wrong-key')).status).toBe(401);
    const keysAfter = await call(second.url, 'GET', '/admin/api/keys', adminKey);
    expect(keysAfter.status).toBe(200);
    const pick = (list: Json[]) =>
      list.map((k) => ({ id: k.id, label: k.label, hint: k.hint, status: k.status }));
    expect(pick(keysAfter.json.data)).toEqual(pick(keysBefore));
    const statusOf = (id: string) => keysAfter.json.data.find((k: Json) => k.id === id).status;
    expect([statusOf(ids[0]), statusOf(ids[1]), statusOf(ids[2])]).toEqual(['active', 'invalid', 'disabled']);
    const clients = await call(second.url, 'GET', '/admin/api/client-keys', adminKey);
    expect(clients.json.data.map((k: Json) => k.id)).toContain(created.json.id);
    expect((await call(second.url, 'GET', '/admin/api/model-map', adminKey)).json).toEqual(map);
    // The same plaintext client key still authenticates on the proxy.
    expect((await call(second.url, 'GET', '/v1/models', clientKey)).status).toBe(200);
    expect((await call(second.url, 'GET', '/v1/models', `${clientKey}0`)).status).toBe(401);
    expect(await stopProcess(second.proc)).toEqual({ code: 0, signal: null });

    // No secret in full in anything either process wrote, but the admin key once on first start.
    const output = [first.proc, second.proc].map((p) => p.stdout() + p.stderr()).join('\n');
    for (const secret of [...secrets, clientKey]) expect(output).not.toContain(secret);
    expect(output.split(adminKey).length - 1).toBe(1);
  }, 120_000);
});

describe('SIGTERM', () => {
  it('lets an in-flight request finish, closes the database and exits 0', async () => {
    const dir = dataDir();
    const adminKey = 'cra-sigterm-test-admin-key';
    const env = baseEnv({
      PORT: '0',
      DATA_DIR: dir,
      AUTH_KEY: adminKey,
      OPENROUTER_BASE_URL: mock.url,
      SHUTDOWN_GRACE_MS: '60000',
    });
    const { proc, url } = await startCloudRouter(env);
    const secret = upstreamKey('term');
    expect((await call(url, 'POST', '/admin/api/keys', adminKey, { keys: [secret] })).status).toBe(201);
    const clientKey = (await call(url, 'POST', '/admin/api/client-keys', adminKey, { name: 'term' })).json
      .key;
    mock.script(secret, { delayMs: 1500 });
    const seen = mock.chatRequests().length;

    const inFlight = call(url, 'POST', '/v1/chat/completions', clientKey, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    // Wait until the request has reached upstream, so it is really in flight.
    for (let i = 0; i < 600 && mock.chatRequests().length === seen; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(mock.chatRequests().length).toBe(seen + 1);
    proc.child.kill('SIGTERM');

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.json.choices[0].message.content).toEqual(expect.any(String));
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.stdout()).toContain('SIGTERM: finishing in-flight requests');

    // Closed cleanly: the WAL was checkpointed away and the data is all there.
    const wal = join(dir, 'cloudrouter.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    const store = new SqliteStore(join(dir, 'cloudrouter.db'));
    try {
      expect((await store.list('key:')).entries).toHaveLength(1);
      expect((await store.list('ck:')).entries).toHaveLength(1);
    } finally {
      store.close();
    }
  }, 120_000);

  it('does not wait for a request that never ends longer than SHUTDOWN_GRACE_MS', async () => {
    const adminKey = 'cra-grace-test-admin-key';
    const env = baseEnv({
      PORT: '0',
      DATA_DIR: dataDir(),
      AUTH_KEY: adminKey,
      OPENROUTER_BASE_URL: mock.url,
      SHUTDOWN_GRACE_MS: '500',
      UPSTREAM_TIMEOUT_MS: '600000',
      REQUEST_DEADLINE_MS: '600000',
    });
    const { proc, url } = await startCloudRouter(env);
    const secret = upstreamKey('hang');
    await call(url, 'POST', '/admin/api/keys', adminKey, { keys: [secret] });
    const clientKey = (await call(url, 'POST', '/admin/api/client-keys', adminKey, { name: 'hang' })).json
      .key;
    mock.script(secret, { hang: true });
    const seen = mock.chatRequests().length;
    const stuck = call(url, 'POST', '/v1/chat/completions', clientKey, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    }).catch((err: unknown) => err);
    for (let i = 0; i < 600 && mock.chatRequests().length === seen; i++)
      await new Promise((r) => setTimeout(r, 25));
    proc.child.kill('SIGTERM');
    // Far below the test timeout: the grace period is 0.5 s, not the 10-minute upstream timeout.
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    await stuck;
  }, 120_000);
});
