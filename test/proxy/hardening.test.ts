import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config';
import { UpstreamFailure } from '../../src/deps';
import { type RunningServer, startServer } from '../../src/runtime/node/server';
import { createUndiciUpstream } from '../../src/runtime/node/undici-upstream';
import { chatBody, type Json, upstreamKey } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// An upstream that redirects, and the place it redirects to, which counts the keys that reach it.
let caught = 0;
let redirector: Server;
let base = '';
beforeAll(async () => {
  redirector = createServer((req, res) => {
    if (req.url?.startsWith('/big')) {
      // 200 KB of a chat answer, over a MAX_ANSWER_BYTES of 64 KiB.
      const content = 'x'.repeat(200 * 1024);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ id: 'gen-big', choices: [{ index: 0, message: { role: 'assistant', content } }] }),
      );
      return;
    }
    if (req.url?.startsWith('/caught')) {
      if (req.headers.authorization) caught++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    res.writeHead(307, { location: '/caught' }).end();
  });
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => redirector.close(() => resolve())));

describe('the Node transport', () => {
  it('never follows an upstream redirect: a failure, and the key goes nowhere else', async () => {
    const upstream = createUndiciUpstream();
    const sent = upstream.send({
      url: `${base}/chat/completions`,
      method: 'POST',
      headers: { authorization: 'Bearer sk-or-v1-must-not-travel', 'content-type': 'application/json' },
      body: '{}',
      headersTimeoutMs: 5000,
    });
    await expect(sent).rejects.toBeInstanceOf(UpstreamFailure);
    await expect(sent).rejects.toMatchObject({
      kind: 'network',
      message: expect.stringContaining('redirect (307)'),
    });
    expect(caught).toBe(0);
    await upstream.close?.();
  });
});

describe('client-facing network errors', () => {
  let server: RunningServer;
  const admin = 'hardening-test-admin-key';
  const call = (path: string, init: RequestInit & { auth: string }) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${init.auth}`, 'content-type': 'application/json' },
    });
  beforeAll(async () => {
    // Nothing listens on port 9: every attempt is refused.
    server = await startServer(
      parseConfig({
        PORT: '0',
        AUTH_KEY: admin,
        OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1',
        MAX_ATTEMPTS: '1',
      }),
      { databaseFile: ':memory:', logger: { log: () => {} } },
    );
  });
  afterAll(() => server?.close(0));

  it('say what failed without the address behind the gateway, to the client and in the key view', async () => {
    const keys = await call('/admin/api/keys', {
      method: 'POST',
      auth: admin,
      body: JSON.stringify({ keys: [upstreamKey('net')] }),
    });
    expect(keys.status).toBe(201);
    const created = (await (
      await call('/admin/api/client-keys', { method: 'POST', auth: admin, body: '{"name":"net"}' })
    ).json()) as Json;
    const res = await call('/v1/chat/completions', {
      method: 'POST',
      auth: created.key,
      body: JSON.stringify(chatBody()),
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    const text = await res.text();
    expect(text).toContain('the connection was refused');
    expect(text).not.toContain('127.0.0.1');
    const view = await (await call('/admin/api/keys', { method: 'GET', auth: admin })).text();
    expect(view).not.toContain('127.0.0.1:9');
  });
});

describe('the size cap on answers read whole', () => {
  let server: RunningServer;
  const admin = 'answer-cap-test-admin-key';
  const call = (path: string, init: RequestInit & { auth: string }) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${init.auth}`, 'content-type': 'application/json' },
    });
  beforeAll(async () => {
    server = await startServer(
      parseConfig({
        PORT: '0',
        AUTH_KEY: admin,
        OPENROUTER_BASE_URL: `${base}/big`,
        MAX_ANSWER_BYTES: '65536',
      }),
      { databaseFile: ':memory:', logger: { log: () => {} } },
    );
  });
  afterAll(() => server?.close(0));

  it('answers 502 to a non-streamed answer over MAX_ANSWER_BYTES, after one attempt', async () => {
    const added = await call('/admin/api/keys', {
      method: 'POST',
      auth: admin,
      body: JSON.stringify({ keys: [upstreamKey('big1'), upstreamKey('big2')] }),
    });
    expect(added.status).toBe(201);
    const created = (await (
      await call('/admin/api/client-keys', { method: 'POST', auth: admin, body: '{"name":"big"}' })
    ).json()) as Json;
    const res = await call('/v1/chat/completions', {
      method: 'POST',
      auth: created.key,
      body: JSON.stringify(chatBody()),
    });
    const body = (await res.json()) as Json;
    expect(res.status).toBe(502);
    expect(body.error.code).toBe('upstream_answer_too_large');
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('1');
  });
});
