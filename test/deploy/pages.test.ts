/**
 * The Cloudflare Pages build as a user runs it: `npm run build:pages`, then
 * `wrangler pages dev dist/pages --kv ROUTER_KV` (workerd, offline), in front
 * of the mock OpenRouter: health, the admin API, the UI and a proxied chat.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';

const ROOT = join(import.meta.dirname, '..', '..');
const ADMIN = 'pages-admin-key';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
type Json = Record<string, any>;

let mock: MockOpenRouter;
let child: ChildProcess | null = null;
let output = '';
let base = '';
let persist = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The compatibility date of wrangler.jsonc, which the Pages commands must use too. */
function compatibilityDate(): string {
  const date = readFileSync(join(ROOT, 'wrangler.jsonc'), 'utf8').match(
    /"compatibility_date":\s*"([^"]+)"/,
  )?.[1];
  if (!date) throw new Error('wrangler.jsonc has no compatibility_date');
  return date;
}

/** The compatibility flags of wrangler.jsonc, likewise. */
function compatibilityFlags(): string[] {
  const list = readFileSync(join(ROOT, 'wrangler.jsonc'), 'utf8').match(
    /"compatibility_flags":\s*(\[[^\]]*\])/,
  )?.[1];
  return list ? (JSON.parse(list) as string[]) : [];
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child?.exitCode !== null) throw new Error(`wrangler pages dev exited: ${output}`);
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no /health 200 within ${timeoutMs} ms: ${output}`);
}

async function call(method: string, path: string, auth: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as Json };
}

/** Stops wrangler and workerd: the whole process group, or workerd lingers. */
async function stop(): Promise<void> {
  const proc = child;
  if (!proc?.pid || proc.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  try {
    process.kill(-proc.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-(proc.pid as number), 'SIGKILL');
    } catch {}
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  mock = await startMockOpenRouter();
  execFileSync(process.execPath, ['scripts/build-pages.mjs'], { cwd: ROOT, stdio: 'pipe', timeout: 180_000 });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  persist = mkdtempSync(join(tmpdir(), 'cloudrouter-pages-'));
  const args = ['wrangler', 'pages', 'dev', 'dist/pages', '--kv', 'ROUTER_KV', '--port', String(port)];
  args.push('--ip', '127.0.0.1', '--compatibility-date', compatibilityDate(), '--persist-to', persist);
  for (const flag of compatibilityFlags()) args.push('--compatibility-flags', flag);
  args.push('--binding', `AUTH_KEY=${ADMIN}`, '--binding', `OPENROUTER_BASE_URL=${mock.url}`);
  child = spawn('npx', args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      NO_COLOR: '1',
    },
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  await waitForHealth(base, 150_000);
}, 240_000);

afterAll(async () => {
  await stop();
  await mock?.close();
  if (persist) rmSync(persist, { recursive: true, force: true });
}, 60_000);

describe('npm run build:pages', () => {
  it('writes the advanced-mode _worker.js and sends every path to it', () => {
    expect(existsSync(join(ROOT, 'dist/pages/_worker.js'))).toBe(true);
    const routes = JSON.parse(readFileSync(join(ROOT, 'dist/pages/_routes.json'), 'utf8'));
    expect(routes.include).toEqual(['/*']);
  });

  it('is run by npm run dev:pages with the compatibility date and flags of wrangler.jsonc', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts['dev:pages']).toContain(`--compatibility-date ${compatibilityDate()}`);
    expect(compatibilityFlags()).toContain('enable_request_signal');
    for (const flag of compatibilityFlags())
      expect(pkg.scripts['dev:pages']).toContain(`--compatibility-flags ${flag}`);
    expect(pkg.scripts['dev:pages']).toContain('--kv ROUTER_KV');
  });
});

describe('wrangler pages dev dist/pages', () => {
  it('answers /health on the Workers runtime', async () => {
    const res = await call('GET', '/health', '');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', runtime: 'workers' });
  });

  it('serves the admin UI page and its script', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = html.match(/src="(\/ui\/[^"]+\.js)"/)?.[1];
    expect(script).toBeTruthy();
    const js = await fetch(`${base}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('keeps the admin API behind AUTH_KEY and stores keys in the KV binding', async () => {
    expect((await call('GET', '/admin/api/keys', 'wrong')).status).toBe(401);
    const key = `sk-or-v1-pages${'0123456789abcdef'.repeat(4)}`;
    const added = await call('POST', '/admin/api/keys', ADMIN, { keys: [key], label: 'pages' });
    expect(added.status).toBe(201);
    const listed = await call('GET', '/admin/api/keys', ADMIN);
    expect(listed.json.data.map((k: Json) => k.label)).toContain('pages');
    expect(JSON.stringify(listed.json)).not.toContain(key);
  });

  it('proxies a chat completion with a client key', async () => {
    const created = await call('POST', '/admin/api/client-keys', ADMIN, { name: 'pages client' });
    expect(created.status).toBe(201);
    const chat = await call('POST', '/v1/chat/completions', created.json.key, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(chat.status).toBe(200);
    expect(chat.headers.get('x-cloudrouter-attempts')).toBe('1');
    expect(chat.json.choices[0].message.content).toBeTruthy();
  });
});
