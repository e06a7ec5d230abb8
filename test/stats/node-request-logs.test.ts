import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import type { Logger } from '../../src/deps';
import { type RunningServer, startServer } from '../../src/runtime/node/server';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';
import { chatBody, type Json, upstreamKey } from '../proxy/harness';

// Node's one-line JSON request logs, and /metrics with METRICS_PUBLIC=true.
const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
const logger: Logger = {
  log: (level, message, fields = {}) => lines.push({ level, message, fields }),
  // Request lines come whole (as the Node logger is given them): they must parse.
  logLine: (level, line) => {
    const { msg, level: said, ...fields } = JSON.parse(line);
    lines.push({ level: said === level ? level : `${level} (line says ${said})`, message: msg, fields });
  },
};
let mock: MockOpenRouter;
let server: RunningServer;
const secret = upstreamKey('logs');

beforeAll(async () => {
  mock = await startMockOpenRouter();
  server = await startServer(
    parseConfig({
      PORT: '0',
      AUTH_KEY: 'admin-logs-test-key-0123',
      OPENROUTER_BASE_URL: mock.url,
      OPENROUTER_KEYS: secret,
      METRICS_PUBLIC: 'true',
    }),
    { databaseFile: ':memory:', logger },
  );
});
afterAll(async () => {
  await server?.close(0);
  await mock?.close();
});

it('logs one line per request with what the recent-requests log holds, never a key', async () => {
  const admin = { authorization: 'Bearer admin-logs-test-key-0123', 'content-type': 'application/json' };
  const created = (await (
    await fetch(`${server.url}/admin/api/client-keys`, {
      method: 'POST',
      headers: admin,
      body: '{"name":"logged"}',
    })
  ).json()) as Json;
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(chatBody()),
  });
  expect(res.status).toBe(200);
  await res.text();
  const deadline = Date.now() + 15_000;
  while (!lines.some((l) => l.message === 'request') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  const line = lines.find((l) => l.message === 'request');
  expect(line?.level).toBe('info');
  expect(line?.fields).toMatchObject({
    client_name: 'logged',
    resolved_model: 'openai/gpt-4o-mini',
    status: 200,
    attempts: 1,
    prompt_tokens: expect.any(Number),
  });
  const text = JSON.stringify(lines);
  expect(text).not.toContain(secret);
  expect(text).not.toContain(created.key);
  expect(JSON.stringify(line?.fields)).not.toContain('"Hi"');
});

it('serves /metrics without the admin key when METRICS_PUBLIC is true', async () => {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  expect(await res.text()).toMatch(/^cloudrouter_requests_total\{outcome="success"\} 1$/m);
});
