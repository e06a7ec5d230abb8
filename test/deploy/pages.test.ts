/**
 * The Cloudflare Pages build as a user runs it: `npm run build:pages`, then
 * `wrangler pages dev dist/pages --kv ROUTER_KV` (workerd, offline), in front
 * of the mock OpenRouter: health, the admin API, the UI and a proxied chat.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';
import { startWrangler, type WranglerDev, wranglerCompatibility } from '../wrangler';

const ROOT = join(import.meta.dirname, '..', '..');
const ADMIN = 'pages-admin-key-0123';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
type Json = Record<string, any>;

let mock: MockOpenRouter;
let dev: WranglerDev | null = null;
let base = '';

async function call(method: string, path: string, auth: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as Json };
}

beforeAll(async () => {
  mock = await startMockOpenRouter();
  execFileSync(process.execPath, ['scripts/build-pages.mjs'], { cwd: ROOT, stdio: 'pipe', timeout: 180_000 });
  const { date, flags } = wranglerCompatibility();
  const command = ['pages', 'dev', 'dist/pages', '--kv', 'ROUTER_KV', '--compatibility-date', date];
  for (const flag of flags) command.push('--compatibility-flags', flag);
  command.push('--binding', `AUTH_KEY=${ADMIN}`, '--binding', `OPENROUTER_BASE_URL=${mock.url}`);
  dev = await startWrangler(command);
  base = dev.url;
}, 240_000);

afterAll(async () => {
  await dev?.stop();
  await mock?.close();
}, 60_000);

describe('npm run build:pages', () => {
  it('writes the advanced-mode _worker.js and sends every path to it', () => {
    expect(existsSync(join(ROOT, 'dist/pages/_worker.js'))).toBe(true);
    const routes = JSON.parse(readFileSync(join(ROOT, 'dist/pages/_routes.json'), 'utf8'));
    expect(routes.include).toEqual(['/*']);
  });

  it('is run by npm run dev:pages with the compatibility date and flags of wrangler.jsonc', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const { date, flags } = wranglerCompatibility();
    expect(pkg.scripts['dev:pages']).toContain(`--compatibility-date ${date}`);
    expect(flags).toContain('enable_request_signal');
    for (const flag of flags) expect(pkg.scripts['dev:pages']).toContain(`--compatibility-flags ${flag}`);
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
