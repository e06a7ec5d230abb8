/**
 * The README's pictures, from a demo: the Node server (SQLite in memory) in front of the mock
 * OpenRouter, filled the way an operator's would be (labelled keys with credit, a few dead, some
 * not checked yet; client keys of real-looking apps; aliases; a day of traffic with failovers and
 * a few failures; alert webhooks), then photographed in English and Chinese by Chromium.
 * Run by `node scripts/screenshots.mjs`.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parseConfig } from '../src/config';
import { startServer } from '../src/runtime/node/server';
import { launchBrowser } from '../test/e2e/browser';
import { fakeKeys } from '../test/e2e/stack';
import { startMockOpenRouter } from '../test/mock-openrouter';

const OUT = process.argv[2] ?? join(import.meta.dirname, '..', 'docs', 'screenshots');
const ADMIN_KEY = 'demo-admin-key-3f9c1a7e52b4';
const HOUR = 3_600_000;

/** A clock the demo moves: the day of traffic is replayed in a few seconds. */
let offset = 0;
const clock = { now: () => Date.now() + offset };

// A repeatable "random": the same pictures on every run.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];

const mock = await startMockOpenRouter({ record: false });
const server = await startServer(
  parseConfig({
    PORT: '0',
    AUTH_KEY: ADMIN_KEY,
    OPENROUTER_BASE_URL: mock.url,
    HEALTH_CHECK_INTERVAL_MS: '0',
    ALERT_CHECK_MS: '0',
    UPSTREAM_TIMEOUT_MS: '3000',
  }),
  { databaseFile: ':memory:', logger: { log: () => {} }, clock },
);
const url = server.url;

async function admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? {} : await res.json()) as T;
}

// Upstream keys: four teams' budgets, most with credit, a few revoked or spent.
const teams = [
  { label: 'Production pool', count: 24, limit: 50 },
  { label: 'Research', count: 10, limit: 25 },
  { label: 'Batch jobs', count: 8, limit: null },
  { label: 'Free tier', count: 6, limit: 5 },
];
const all = fakeKeys(56);
let next = 0;
for (const team of teams) {
  const keys = all.slice(next, next + team.count);
  next += team.count;
  keys.forEach((key, i) => {
    if (team.label === 'Research' && i < 2) mock.keyInfo(key, { status: 401 });
    else if (team.label === 'Free tier' && i < 2)
      mock.keyInfo(key, { limit: 5, usage: 5, limit_reset: 'monthly' });
    else {
      const usage = Math.round(random() * (team.limit ?? 80) * 70) / 100;
      mock.keyInfo(key, {
        limit: team.limit,
        usage,
        usage_daily: Math.round(usage * 8) / 100,
        usage_monthly: usage,
        limit_reset: team.limit === null ? null : 'monthly',
      });
    }
  });
  await admin('POST', '/keys', { keys, label: team.label });
}

// Client keys of the apps that use the gateway.
const clients: Record<string, string> = {};
for (const [name, extra] of [
  ['Web app (production)', { rpm: 600 }],
  ['Mobile app', { rpm: 300 }],
  ['Support bot', { models: ['openai/*', 'anthropic/*'] }],
  ['Data pipeline', { cap: { period: 'day', cost: 20 } }],
  ['Staging', { rpm: 60 }],
] as const) {
  const created = await admin<{ key: string }>('POST', '/client-keys', { name, ...extra });
  clients[name] = created.key;
}

await admin('PUT', '/model-map', {
  aliases: {
    'gpt-4o*': 'openai/gpt-4o*',
    fast: 'openai/gpt-4o-mini',
    claude: 'anthropic/claude-3.5-sonnet',
    'deepseek-coder': 'deepseek/deepseek-chat',
  },
});

// A day of traffic, busier in working hours, replayed on the moved clock.
const mix: Array<[client: string, models: string[], weight: number]> = [
  ['Web app (production)', ['fast', 'openai/gpt-4o', 'claude'], 5],
  ['Mobile app', ['fast', 'google/gemini-2.0-flash-001'], 3],
  ['Support bot', ['claude', 'openai/gpt-4o-mini'], 2],
  ['Data pipeline', ['deepseek-coder', 'deepseek/deepseek-chat', 'fast'], 2],
  ['Staging', ['openai/gpt-4o', 'meta-llama/llama-3.1-8b-instruct'], 1],
];
const weighted = mix.flatMap((m) => Array<(typeof mix)[number]>(m[2]).fill(m));
const pool = all.slice(0, next);
const chat = (key: string, model: string, stream: boolean) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      messages: [{ role: 'user', content: 'Summarise this ticket in one line.' }],
    }),
  }).then((r) => r.text());

const start = Date.now() - 24 * HOUR;
for (let step = 0; step < 96; step++) {
  offset = start + step * 15 * 60_000 - Date.now();
  const hour = new Date(clock.now()).getUTCHours();
  const busy = hour >= 1 && hour <= 10 ? 9 : hour >= 11 && hour <= 14 ? 5 : 2;
  // Now and then a key is rate limited or its provider fails: the request moves on.
  if (step % 7 === 3) mock.script(pick(pool), { status: 429, headers: { 'retry-after': '30' } });
  if (step % 11 === 5)
    mock.script(pick(pool), { status: 502, error: { message: 'Provider returned error' } });
  const calls: Array<Promise<string>> = [];
  for (let i = 0; i < busy + Math.floor(random() * 3); i++) {
    const [client, models] = pick(weighted);
    calls.push(chat(clients[client], pick(models), random() < 0.3));
  }
  if (step % 13 === 0) calls.push(chat(clients.Staging, 'openai/gpt-5-preview', false));
  await Promise.all(calls);
}
// The last hour: one request that met a rate-limited key and a failing provider before it was served.
offset = 0;
await admin('POST', '/keys/check', {});
// Keys added a moment ago: not checked yet.
await admin('POST', '/keys', { keys: all.slice(next), label: 'Added today' });
const [first, second] = pool.slice(12, 14);
mock.script(first, { status: 429, headers: { 'retry-after': '20' } });
mock.script(second, { status: 502, error: { message: 'Provider returned error' } });
for (let i = 0; i < 6; i++) await chat(clients['Web app (production)'], 'claude', false);

await admin('PUT', '/alerts', {
  webhooks: [
    { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/3c1f0d2e-demo', format: 'feishu' },
    { url: 'https://hooks.slack.com/services/T000DEMO/B000DEMO/demo', format: 'slack' },
  ],
  min_usable_keys: 10,
  min_credit: 50,
  max_error_rate: 0.2,
  window_minutes: 60,
});

// The pictures.
const browser = await launchBrowser();
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
const shoot = async (p: Page, name: string) => {
  for (const close of await p.locator('.toast-close').all()) await close.click().catch(() => {});
  await p.waitForTimeout(400);
  await p.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
};
const go = async (hash: string, ready: string) => {
  await page.goto(`${url}/#/${hash}`);
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
};
const setLang = async (lang: 'en' | 'zh-CN') => {
  await page.locator('.topbar-lang select').selectOption(lang);
  await page.waitForTimeout(200);
};

try {
  await page.goto(`${url}/`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await shoot(page, 'login');
  await page.fill('input[name=key]', ADMIN_KEY);
  await page.click('button[type=submit]');
  await page.locator('.metrics').waitFor();

  for (const lang of ['en', 'zh-CN'] as const) {
    const sfx = lang === 'en' ? '' : '-zh';
    await go('dashboard', '.metrics');
    await setLang(lang);
    await page.setViewportSize({ width: 1360, height: 1480 });
    await go('dashboard', '.bar-list');
    await page.locator('.failure-list li, .muted').first().waitFor();
    await shoot(page, `dashboard${sfx}`);
    await page.setViewportSize({ width: 1360, height: 900 });
    await go('keys', '.keys-table tbody tr');
    await shoot(page, `keys${sfx}`);
    await go('logs', '.logs-table tbody tr');
    await shoot(page, `requests${sfx}`);
    await page
      .locator('.logs-table tbody tr', { has: page.locator('.tries-many') })
      .first()
      .click();
    await page.locator('.tries-table tbody tr').first().waitFor();
    await shoot(page, `request-detail${sfx}`);
    await page.keyboard.press('Escape');
    await go('settings', '.alerts-card .webhook-row');
    await page.locator('.alerts-card').scrollIntoViewIfNeeded();
    await shoot(page, `settings-alerts${sfx}`);
  }
  await setLang('en');

  await go('clients', '.client-name');
  await page.getByRole('button', { name: 'New client key' }).first().click();
  await page.fill('input[name=name]', 'Analytics notebook');
  await page.getByRole('button', { name: 'Create key' }).click();
  await page.locator('[data-testid=new-client-key]').waitFor();
  await shoot(page, 'client-key-created');
  await page.getByRole('button', { name: 'I have saved it' }).click();
  await shoot(page, 'client-keys');

  await go('models', '.alias-row');
  await shoot(page, 'model-map');

  await page.getByRole('button', { name: 'Dark theme' }).click();
  await go('keys', '.keys-table tbody tr');
  await shoot(page, 'keys-dark');
  await page.setViewportSize({ width: 1360, height: 1480 });
  await go('dashboard', '.bar-list');
  await shoot(page, 'dashboard-dark');
  await page.getByRole('button', { name: 'Light theme' }).click();

  const phone = await browser.context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${url}/#/dashboard`);
  await phone.locator('.bar-list').first().waitFor();
  await shoot(phone, 'phone-dashboard');
  await phone.getByRole('button', { name: 'Menu' }).click();
  await phone.waitForTimeout(300);
  await shoot(phone, 'phone-menu');
} finally {
  await browser.close();
  await server.close(0);
  await mock.close();
}
