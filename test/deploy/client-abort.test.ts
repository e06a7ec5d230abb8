/**
 * A client that goes away from a non-streamed request on Workers: the Worker bundled as wrangler
 * would, run by workerd (Miniflare) with the compatibility date and flags of wrangler.jsonc, in
 * front of the mock OpenRouter, reached over real TCP.
 *
 * workerd cancels the request it was serving when the client's connection breaks. With
 * `enable_request_signal` `request.signal` fires too, so the Worker ends the attempt itself: it
 * aborts the upstream request and records the request as `client_closed` (499), as Node does.
 * Without the flag the request's work is dropped where it stands (the upstream request goes with
 * it only because nothing else holds the invocation open) and the request is never recorded.
 * Locally workerd notices a connection reset, not a plain close: the test resets the connection.
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';
import { wranglerCompatibility } from '../wrangler';

const ROOT = join(import.meta.dirname, '..', '..');
const ADMIN = 'abort-test-admin-key';
const SECRET = 'sk-or-v1-client-abort-0123456789abcdef';

let mock: MockOpenRouter;
let mf: Miniflare;
let base = '';

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [join(ROOT, 'src/runtime/workers/index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    external: ['cloudflare:*'],
    logLevel: 'warning',
  });
  mock = await startMockOpenRouter();
  const compatibility = wranglerCompatibility();
  mf = new Miniflare({
    modules: [{ type: 'ESModule', path: 'worker.mjs', contents: bundle.outputFiles[0].text }],
    compatibilityDate: compatibility.date,
    compatibilityFlags: compatibility.flags,
    kvNamespaces: ['ROUTER_KV'],
    bindings: { AUTH_KEY: ADMIN, OPENROUTER_BASE_URL: mock.url, UPSTREAM_TIMEOUT_MS: '60000' },
    host: '127.0.0.1',
    port: 0,
  });
  base = (await mf.ready).origin;
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  await mock?.close();
});

it('cancels the upstream request and records client_closed when the client goes away', async () => {
  await admin('POST', '/keys', { keys: [SECRET] });
  const client = (await admin('POST', '/client-keys', { name: 'leaves' })) as { key: string };
  mock.always(SECRET, { hang: true });

  const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
  const { port } = new URL(base);
  const socket: Socket = connect(Number(port), '127.0.0.1', () => {
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: cloudrouter.test\r\nAuthorization: Bearer ${client.key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
  socket.on('error', () => {});
  await vi.waitFor(() => expect(mock.chatRequests()).toHaveLength(1), { timeout: 30_000, interval: 50 });
  const leftAt = Date.now();
  socket.resetAndDestroy();

  // Long before UPSTREAM_TIMEOUT_MS (60 s): the upstream request is cancelled...
  await vi.waitFor(() => expect(mock.chatRequests()[0].closedEarlyAt).toBeGreaterThanOrEqual(leftAt), {
    timeout: 10_000,
    interval: 50,
  });
  // ...and the request is in the log, as the client's leaving.
  await vi.waitFor(
    async () => {
      const lines = (await admin('GET', '/logs?limit=10')).data as Array<Record<string, unknown>>;
      expect(lines.filter((l) => l.client_name === 'leaves')).toEqual([
        expect.objectContaining({ status: 499, error_class: 'client_closed' }),
      ]);
    },
    { timeout: 10_000, interval: 200 },
  );
}, 60_000);
