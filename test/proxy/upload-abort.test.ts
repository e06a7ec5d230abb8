import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import type { LogLevel } from '../../src/deps';
import { type RunningServer, startServer } from '../../src/runtime/node/server';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';

const lines: Array<{ level: LogLevel; message: string }> = [];
let mock: MockOpenRouter;
let server: RunningServer;
let clientKey: string;

beforeAll(async () => {
  mock = await startMockOpenRouter();
  server = await startServer(
    parseConfig({ PORT: '0', OPENROUTER_BASE_URL: mock.url, AUTH_KEY: 'upload-abort-admin-key' }),
    {
      databaseFile: ':memory:',
      logger: { log: (level, message) => lines.push({ level, message }) },
    },
  );
  const created = await fetch(`${server.url}/admin/api/client-keys`, {
    method: 'POST',
    headers: { authorization: 'Bearer upload-abort-admin-key', 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'upload' }),
  });
  clientKey = ((await created.json()) as { key: string }).key;
});
afterAll(async () => {
  await server?.close(0);
  await mock?.close();
});

it('takes a client that leaves in the middle of its upload calmly: no error logged, nothing sent upstream', async () => {
  const { port } = server;
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${clientKey}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"model":"openai/gpt-4o-mini",',
      );
      setTimeout(() => socket.destroy(), 50);
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  // The server notices the closed connection on its next turns; a healthy request after it proves it still serves.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
    body: 'not json',
  });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  expect(mock.chatRequests()).toHaveLength(0);
  expect(lines.filter((l) => l.level === 'error')).toEqual([]);
});
