/**
 * What an operator sees of requests and keys in a real browser (Node server, mock OpenRouter):
 * a request that failed over opens its attempts; the Requests page filters by client key, model,
 * upstream key and status class; keys no health check has seen read as "not checked yet", with
 * their credit unknown (not $0); the sidebar's panel reaches the end of a long page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, launchBrowser, type PageWatch, watchPage } from './browser';
import { ADMIN_KEY, fakeKeys, type Stack, startStack } from './stack';

type Json = Record<string, unknown>;

describeBrowser('requests and keys, as an operator reads them', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  const [limited, failing, good, spare] = fakeKeys(4);
  const ids: Record<string, string> = {};
  const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.url}/admin/api${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (res.status === 204 ? null : await res.json()) as Json;
  };
  const chat = (key: string, model: string) =>
    fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello' }] }),
    }).then((r) => r.text());

  beforeAll(async () => {
    // No health check on its own: the keys stay unchecked until the test checks one.
    stack = await startStack({
      HEALTH_CHECK_INTERVAL_MS: '86400000',
      KEY_STRATEGY: 'round-robin',
      // Rotation by request: its requests repeat one body, which by conversation would go to one key.
      CONVERSATION_AFFINITY: 'false',
    });
    stack.mock.always(limited, { status: 429, headers: { 'retry-after': '3600' } });
    stack.mock.always(failing, { status: 502, error: { message: 'Provider returned error' } });
    stack.mock.keyInfo(spare, { limit: 20, usage: 5 });
    // Their checks on arrival find OpenRouter busy (503): a check that got no answer leaves a key
    // unchecked.
    for (const key of [limited, failing, good, spare]) stack.mock.script(key, { path: '/key', status: 503 });
    const added = (await admin('POST', '/keys', { keys: [limited, failing, good, spare], label: 'pool' }))
      .added as Array<{ id: string; hint: string }>;
    for (const [i, secret] of [limited, failing, good, spare].entries()) ids[secret] = added[i].id;
    // The spare key is disabled so that every request goes through the other three.
    await admin('PATCH', `/keys/${ids[spare]}`, { enabled: false });
    const web = (await admin('POST', '/client-keys', { name: 'web app' })).key as string;
    const batch = (await admin('POST', '/client-keys', { name: 'nightly batch' })).key as string;
    for (let i = 0; i < 6; i++) await chat(web, 'openai/gpt-4o-mini');
    for (let i = 0; i < 3; i++) await chat(batch, 'anthropic/claude-3.5-sonnet');
    await chat(batch, 'no-such-vendor/model');
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    watch = watchPage(page);
    await page.goto(`${stack.url}/`);
    await page.fill('input[name=key]', ADMIN_KEY);
    await page.click('button[type=submit]');
    await page.locator('.metrics').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('opens a request that failed over: each attempt with its key hint, status, error class and latency', async () => {
    await page.goto(`${stack.url}/#/logs`);
    await poll(() => page.locator('.logs-table tbody tr').count()).toBe(10);
    // The first request met the rate-limited key, then the failing one, then the good one.
    const many = page.locator('.logs-table tbody tr', { has: page.locator('.tries-many', { hasText: '3' }) });
    await many.last().click();
    const dialog = page.getByRole('dialog', { name: 'Request' });
    await dialog.waitFor();
    const tries = dialog.locator('.tries-table tbody tr');
    await poll(() => tries.count()).toBe(3);
    const hint = (secret: string) => `${secret.slice(0, 9)}…${secret.slice(-4)}`;
    expect(await tries.nth(0).textContent()).toMatch(new RegExp(`${hint(limited)}429rate_limited\\d+ ms`));
    expect(await tries.nth(1).textContent()).toMatch(new RegExp(`${hint(failing)}502upstream_error\\d+ ms`));
    expect(await tries.nth(2).textContent()).toMatch(new RegExp(`${hint(good)}200—\\d+ ms`));
    const facts = await dialog.locator('.request-facts').textContent();
    expect(facts).toContain('web app');
    expect(facts).toContain('openai/gpt-4o-mini');
    expect(facts).toMatch(/Tokens in \/ out\d+ \/ \d+/);
    expect(facts).toMatch(/Cost\$\d/);
    // No key is ever shown beyond its hint.
    expect(await dialog.textContent()).not.toContain(good.slice(12, 30));

    // A hint in the attempts shows every request that tried that key: the rate-limited key,
    // cooling down for an hour since, was tried once.
    await tries.nth(0).getByRole('button').click();
    await poll(() => page.locator('.key-filter').textContent()).toContain(hint(limited));
    expect(page.url()).toContain(`key=${ids[limited]}`);
    await poll(() => page.locator('.logs-table tbody tr').count()).toBe(1);
  });

  it('filters by client key, model and status class', async () => {
    await page.goto(`${stack.url}/#/logs`);
    await poll(() => page.locator('.logs-table tbody tr').count()).toBe(10);
    await page.locator('select[name=client]').selectOption({ label: 'nightly batch' });
    await poll(() => page.locator('.logs-table tbody tr').count()).toBe(4);
    await page.locator('select[name=status]').selectOption('4xx');
    await poll(() => page.locator('.logs-table tbody tr').count()).toBe(1);
    await page.locator('select[name=status]').selectOption('all');
    await page.fill('input[name=model]', 'anthropic/claude-3.5-sonnet');
    await poll(() => page.locator('.logs-table tbody tr').count()).toBe(3);
    expect(page.url()).toContain('model=anthropic%2Fclaude-3.5-sonnet');
    await page.fill('input[name=model]', 'openai/gpt-4o');
    await page.getByText('No request matches these filters.').waitFor();
  });

  it('links a key in the keys page to the requests that tried it', async () => {
    await page.goto(`${stack.url}/#/keys`);
    const row = page.locator(`tr[data-key-id="${ids[limited]}"]`);
    await row.getByRole('link').click();
    await poll(() => page.locator('.logs-table tbody tr').count()).toBe(1);
    expect(page.url()).toContain(`#/logs?key=${ids[limited]}`);
  });

  it('says a key not yet checked is unchecked, its credit unknown rather than $0', async () => {
    await page.goto(`${stack.url}/#/dashboard`);
    const keysMetric = page.locator('.metric', { hasText: 'Upstream keys' });
    await poll(() => keysMetric.textContent()).toMatch(/4\s*2 active · 4 not checked yet/);
    const credit = page.locator('.metric', { hasText: 'Credit left' });
    expect(await credit.locator('.metric-value').textContent()).toBe('Not checked yet');
    expect(await credit.textContent()).not.toContain('$0');
    expect(await page.locator('.pool-checks').textContent()).toBe('0 checked4 not checked yet');

    await page.goto(`${stack.url}/#/keys`);
    const row = page.locator(`tr[data-key-id="${ids[spare]}"]`);
    await poll(() => row.locator('.tag-unchecked').textContent()).toBe('Not checked yet');
    expect(await row.locator('td').nth(3).textContent()).toBe('Unknown');
    await page.locator('.chip-unchecked').click();
    await poll(() => page.locator('.keys-table tbody tr').count()).toBe(4);

    // Checked once, the key shows its credit and leaves the unchecked ones.
    await row.getByRole('button', { name: 'Check now' }).click();
    await poll(() => page.locator('.keys-table tbody tr').count()).toBe(3);
    expect(await page.locator('.chip-unchecked b').textContent()).toBe('3');
    await page.locator('.chip', { hasText: 'All' }).click();
    await poll(() => row.locator('td').nth(3).textContent()).toBe('$15.00 / $20.00');
    expect(await row.locator('.tag-unchecked').count()).toBe(0);
    await page.goto(`${stack.url}/#/dashboard`);
    await poll(() => credit.locator('.metric-value').textContent()).toBe('$15.00');
    expect(await credit.textContent()).toContain('3 unknown');
    expect(await page.locator('.pool-checks').textContent()).toBe('1 checked3 not checked yet');
  });

  it('keeps the sidebar panel down to the end of a long page', async () => {
    await page.setViewportSize({ width: 1360, height: 500 });
    await page.goto(`${stack.url}/#/dashboard`);
    await page.locator('.failure-list li').first().waitFor();
    const sizes = await page.evaluate(() => {
      const shell = document.querySelector('.shell') as HTMLElement;
      return {
        page: document.documentElement.scrollHeight,
        view: window.innerHeight,
        panel: Number.parseFloat(getComputedStyle(shell, '::before').height),
        panelColour: getComputedStyle(shell, '::before').backgroundColor,
        sidebarColour: getComputedStyle(document.querySelector('.sidebar') as HTMLElement).backgroundColor,
      };
    });
    expect(sizes.page).toBeGreaterThan(sizes.view);
    expect(Math.abs(sizes.panel - sizes.page)).toBeLessThan(1);
    expect(sizes.panelColour).toBe(sizes.sidebarColour);
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  it('ran without a script error, a CSP refusal or a dialog', () => {
    expect(watch.errors).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  });
});
