/**
 * The admin UI in a real browser against the Node server (in-process) and a mock
 * OpenRouter: log in, paste 1,000 keys, check them, act on them in bulk, create a
 * client key and use it through the proxy, edit the model map, switch language and
 * theme, use it at phone width, log out. (The README's pictures come from a demo instead:
 * scripts/screenshots.mjs.)
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type Browser,
  describeBrowser,
  fillAtOnce,
  launchBrowser,
  type PageWatch,
  watchPage,
} from './browser';
import { ADMIN_KEY, fakeKeys, type Stack, startStack } from './stack';

const XSS = '<img src=x onerror=alert(1)>';

describeBrowser('the admin UI on Node', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  let clientKey = '';
  const keys = fakeKeys(1000);

  const chip = (name: string) => page.locator('.chip', { hasText: name });
  const toast = (text: string | RegExp) =>
    page
      .locator('.toast > span')
      .filter({
        hasText:
          typeof text === 'string' ? new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : text,
      })
      .first();
  // Waits long enough for a loaded machine (the default is one second).
  const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });
  const proxy = (model: string, key = clientKey) =>
    fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello' }] }),
    });

  beforeAll(async () => {
    stack = await startStack();
    for (const k of keys.slice(0, 40)) stack.mock.keyInfo(k, { status: 401 });
    for (const k of keys.slice(40, 60)) stack.mock.keyInfo(k, { limit: 10, usage: 10 });
    for (const k of keys.slice(60, 400))
      stack.mock.keyInfo(k, { limit: 25, usage: 4.5, usage_daily: 0.5, usage_monthly: 4.5 });
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    watch = watchPage(page);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the login page and refuses a wrong key', async () => {
    const res = await page.goto(`${stack.url}/`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await poll(() => page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    await page.fill('input[name=key]', 'not-the-admin-key');
    await page.click('button[type=submit]');
    await page.getByText('That is not the admin key.').waitFor();
  });

  it('signs in with the admin key: the session cookie is HttpOnly and SameSite=Strict', async () => {
    await page.fill('input[name=key]', ADMIN_KEY);
    await page.click('button[type=submit]');
    await page.locator('.metrics').waitFor();
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'cr_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });
    expect(cookie?.value).not.toContain(ADMIN_KEY);
  });

  it('pastes 1,000 keys with a label made of HTML, which shows as text', async () => {
    await page.goto(`${stack.url}/#/keys`);
    await page.getByText('No upstream keys yet').waitFor();
    await page.getByRole('button', { name: 'Add keys' }).first().click();
    await page.fill('textarea.key-paste', `${keys.join('\n')}\n${keys[0]}\n`);
    await page.getByText('1,000 keys found · 1 repeats ignored').waitFor();
    await page.fill('input[placeholder^="e.g."]', XSS);
    await page.getByRole('button', { name: 'Add 1,000 keys' }).click();
    await page.getByText('1,000 added, 0 skipped as duplicates').waitFor({ timeout: 60_000 });
    expect(await page.locator('.import-progress progress').getAttribute('value')).toBe('1000');
    await page.getByRole('button', { name: 'Done' }).click();
    await poll(() => chip('All').textContent()).toBe('All1,000');
    await poll(() => page.locator('tbody tr').count()).toBe(50);
    expect(await page.locator('.key-label').first().textContent()).toBe(XSS);
    expect(await page.locator('tbody img').count()).toBe(0);
    expect(watch.dialogs).toEqual([]);
    // Each new key is checked on arrival (GET /key, in the background).
    await expect
      .poll(() => stack.mock.requests.filter((r) => r.path.endsWith('/key')).length, { timeout: 120_000 })
      .toBe(1000);
  });

  it('checks every key through GET /key and shows the statuses the mock gave', async () => {
    const before = stack.mock.requests.length;
    await page.getByRole('button', { name: 'Check all' }).click();
    await toast('1,000 keys checked.').waitFor({ timeout: 120_000 });
    await poll(() => chip('Invalid').textContent()).toBe('Invalid40');
    expect(await chip('Exhausted').textContent()).toBe('Exhausted20');
    expect(await chip('Active').textContent()).toBe('Active940');
    const seen = stack.mock.requests.slice(before);
    expect(seen.filter((r) => r.path.endsWith('/key')).length).toBe(1000);
    expect(seen.filter((r) => r.method === 'POST')).toEqual([]);
    await chip('Invalid').click();
    await poll(() => page.locator('tbody tr').count()).toBe(40);
    expect(await page.locator('tbody .badge-invalid').count()).toBe(40);
    expect(await page.locator('tbody .error-cell').first().textContent()).toContain('401');
  });

  it('deletes, disables and enables keys in bulk, the page or every matching key', async () => {
    await page.getByLabel('Select every key on this page').check();
    await page.getByText('40 selected').waitFor();
    await page.locator('.bulk-actions').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByText('Delete 40 key(s)?').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await toast('40 keys deleted').waitFor();
    await poll(() => chip('All').textContent()).toBe('All960');
    expect(await chip('Invalid').textContent()).toBe('Invalid0');

    await chip('Exhausted').click();
    await poll(() => page.locator('tbody tr').count()).toBe(20);
    await page.getByLabel('Select every key on this page').check();
    await page.locator('.bulk-actions').getByRole('button', { name: 'Disable' }).click();
    await toast('20 keys disabled').waitFor();
    await poll(() => chip('Disabled').textContent()).toBe('Disabled20');

    await chip('All').click();
    await poll(() => page.locator('tbody tr').count()).toBe(50);
    await page.getByLabel('Select every key on this page').check();
    await page.getByRole('button', { name: 'Select all 960 matching keys' }).click();
    await page.getByText('960 selected').waitFor();
    await page.locator('.bulk-actions').getByRole('button', { name: 'Enable' }).click();
    await toast('960 keys enabled').waitFor({ timeout: 60_000 });
    await poll(() => chip('Disabled').textContent()).toBe('Disabled0');
    expect(await chip('Exhausted').textContent()).toBe('Exhausted20');
  });

  it('searches, sorts and pages on the server', async () => {
    const pageText = () => page.locator('.pager-range').textContent();
    await page.getByRole('button', { name: 'Next' }).click();
    await poll(pageText).toBe('51–100 of 960');
    const hint = (await page.locator('tbody tr').nth(7).locator('.hint').textContent()) ?? '';
    await page.fill('input[type=search]', hint);
    await poll(pageText).toBe('1–1 of 1');
    expect(await page.locator('tbody .hint').textContent()).toBe(hint);
    await page.fill('input[type=search]', '');
    await page.getByRole('button', { name: 'Credit left' }).click(); // ascending: the least credit first
    await poll(() => page.locator('tbody tr').first().locator('td').nth(3).textContent()).toContain('$0.00');
    await page.locator('.keys-table tbody tr').first().getByRole('button', { name: 'Check now' }).click();
    await toast(/checked$/).waitFor();
  });

  it('creates a client key: shown once with ready snippets, and it works through the proxy', async () => {
    await page.goto(`${stack.url}/#/clients`);
    await page.getByRole('button', { name: 'New client key' }).first().click();
    await page.fill('input[name=name]', XSS);
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.locator('[data-testid=new-client-key]');
    await secret.waitFor();
    clientKey = (await secret.textContent()) ?? '';
    expect(clientKey).toMatch(/^cr-/);
    expect(await page.locator('.code').textContent()).toContain(`${stack.url}/v1`);
    await page.getByRole('tab', { name: 'Python' }).click();
    expect(await page.locator('.code').textContent()).toContain(`base_url="${stack.url}/v1",`);
    await page.getByRole('tab', { name: 'JavaScript' }).click();
    expect(await page.locator('.code').textContent()).toContain(`apiKey: "${clientKey}"`);
    const res = await proxy('openai/gpt-4o-mini');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('1');
    expect(((await res.json()) as { choices: unknown[] }).choices.length).toBe(1);
    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await page.locator('.client-name').first().textContent()).toBe(XSS);
    expect(watch.dialogs).toEqual([]);
  });

  it('edits a client key: models, rate, cap and expiry apply to the proxy', async () => {
    await page.getByRole('button', { name: 'Edit' }).first().click();
    await fillAtOnce(page, [
      ['textarea[name=models]', 'openai/*'],
      ['input[name=rpm]', '60'],
    ]);
    await page.selectOption('select[name=capPeriod]', 'month');
    await page.fill('input[name=capCost]', '5');
    await page.fill('input[name=expires]', '2099-12-31T23:59');
    await page.getByRole('button', { name: 'Save' }).click();
    await toast('Saved').waitFor();
    await page.getByText('60/min').waitFor();
    expect(await page.locator('.models-cell').first().textContent()).toBe('openai/*');
    expect((await proxy('anthropic/claude-3.5-sonnet')).status).toBe(403);
    expect((await proxy('openai/gpt-4o')).status).toBe(200);
  });

  it('edits the model map with the server checking it, and tries names', async () => {
    await page.goto(`${stack.url}/#/models`);
    await page.getByRole('button', { name: 'Add alias' }).click();
    await fillAtOnce(page, [
      ['.alias-row:last-child input[aria-label="Name clients send"]', 'gpt4'],
      ['.alias-row:last-child input[aria-label="OpenRouter model id"]', 'openai/gpt-4o'],
    ]);
    await page.getByRole('button', { name: 'Save' }).click();
    await toast('Model map saved').waitFor();
    const res = await proxy('gpt4');
    expect(res.status).toBe(200);
    expect(stack.mock.chatRequests().at(-1)?.body.model).toBe('openai/gpt-4o');

    await page.getByRole('button', { name: 'Add alias' }).click();
    await page.getByLabel('Name clients send').last().fill('broken');
    await page.getByLabel('OpenRouter model id').last().fill('openai/**');
    await page.getByRole('button', { name: 'Save' }).click();
    await poll(() => page.locator('.alert-error').textContent()).toContain('"**"');
    await page.getByRole('button', { name: 'Discard' }).click();
    expect(await page.getByLabel('Name clients send').count()).toBe(1);

    await page.getByLabel('Model name').fill('gpt4');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await poll(() => page.locator('[data-testid=resolution]').textContent()).toContain('openai/gpt-4o');
    expect(await page.locator('[data-testid=resolution]').textContent()).toContain('Alias');
    await page.getByLabel('Model name').fill('claude-3-5-sonnet');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await poll(() => page.locator('[data-testid=resolution]').textContent()).toContain(
      'anthropic/claude-3.5-sonnet',
    );

    await page.fill('input[placeholder="Search models"]', 'llama');
    await poll(() => page.locator('.catalogue-wrap tbody tr').count()).toBe(3);
    await page.fill('input[placeholder="Search models"]', '');
  });

  it('changes a setting at run time', async () => {
    const attempts = async () => {
      const res = await fetch(`${stack.url}/admin/api/settings`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      return ((await res.json()) as { settings: { max_attempts: number } }).settings.max_attempts;
    };
    await page.goto(`${stack.url}/#/settings`);
    expect(await page.locator('input[name=max_attempts]').getAttribute('placeholder')).toBe(
      `Default (${await attempts()})`,
    );
    await page.fill('input[name=max_attempts]', '3');
    await page.locator('.settings-form').getByRole('button', { name: 'Save' }).click();
    await poll(attempts).toBe(3);
    await page.reload();
    await poll(() => page.locator('input[name=max_attempts]').inputValue()).toBe('3');
  });

  it('shows the traffic on the dashboard and in the request log', async () => {
    // A second client and a few failures make the dashboard worth a look.
    const other = (await (
      await fetch(`${stack.url}/admin/api/client-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'data team' }),
      })
    ).json()) as { key: string };
    const models = ['openai/gpt-4o-mini', 'openai/gpt-4o', 'gpt4', 'openai/gpt-4o-mini'];
    for (let i = 0; i < 24; i++) await (await proxy(models[i % models.length])).text();
    const others = ['deepseek/deepseek-chat', 'anthropic/claude-3.5-sonnet', 'google/gemini-2.0-flash-001'];
    for (let i = 0; i < 15; i++) await (await proxy(others[i % 3], other.key)).text();
    for (let i = 0; i < 3; i++) await (await proxy('no-such-vendor/model', other.key)).text();

    const recorded = async () => {
      const res = await fetch(`${stack.url}/admin/api/stats?range=day`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      return ((await res.json()) as { totals: { requests: number } }).totals.requests;
    };
    await poll(recorded).toBeGreaterThanOrEqual(44);
    await page.goto(`${stack.url}/#/dashboard`);
    await poll(() => page.locator('.metric').nth(2).textContent()).toMatch(/Requests\s*4\d/);
    await page.locator('.bar-list').first().getByText('openai/gpt-4o-mini').waitFor();
    await page.locator('.failure-list li').first().waitFor();
    await page.setViewportSize({ width: 1360, height: 1480 });
    await page.setViewportSize({ width: 1360, height: 900 });

    await page.goto(`${stack.url}/#/logs`);
    await poll(() => page.locator('tbody tr').count()).toBeGreaterThan(40);
    await page.locator('select[name=status]').selectOption('error');
    await poll(() => page.locator('tbody tr').count()).toBe(3);
  });

  it('switches to Simplified Chinese and remembers the choice', async () => {
    await page.goto(`${stack.url}/#/dashboard`);
    await page.locator('.topbar-lang select').selectOption('zh-CN');
    await page.locator('.nav-link', { hasText: '上游密钥' }).waitFor();
    expect(await page.locator('.page-title').textContent()).toBe('概览');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.reload();
    await page.locator('.nav-link', { hasText: '客户端密钥' }).waitFor();
    await page.locator('.bar-list').first().waitFor();
    await page.goto(`${stack.url}/#/keys`);
    await chip('全部').waitFor();
    await poll(() => page.locator('tbody tr').count()).toBe(50);
    expect(await page.locator('.topbar-lang select').getAttribute('aria-label')).toBe('语言');
    await page.locator('.topbar-lang select').selectOption('en');
    await page.locator('.nav-link', { hasText: 'Upstream keys' }).waitFor();
  });

  it('switches to the dark theme', async () => {
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await poll(() => page.locator('tbody tr').count()).toBe(50);
    await page.goto(`${stack.url}/#/dashboard`);
    await page.locator('.bar-list').first().waitFor();
    await page.getByRole('button', { name: 'Light theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });

  it('fits a phone: the sidebar becomes a drawer', async () => {
    const phone = await browser.context.newPage();
    const phoneWatch = watchPage(phone);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${stack.url}/#/dashboard`);
    await phone.locator('.metrics').waitFor();
    expect(await phone.locator('.sidebar').isVisible()).toBe(true); // in the DOM, moved off-screen
    const box = await phone.locator('.sidebar').boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await phone.locator('.bar-list').first().waitFor();
    await phone.getByRole('button', { name: 'Menu' }).click();
    await poll(async () => (await phone.locator('.sidebar').boundingBox())?.x).toBe(0);
    expect(await phone.locator('.drawer-lang select').isVisible()).toBe(true);
    await phone.locator('.nav-link', { hasText: 'Upstream keys' }).click();
    await poll(() => phone.locator('tbody tr').count()).toBe(50);
    expect(phoneWatch.errors).toEqual([]);
    await phone.close();
  });

  it('logs out: the cookie is gone and the admin API answers 401 again', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await browser.context.cookies()).find((c) => c.name === 'cr_session')).toBeUndefined();
    expect((await page.request.get(`${stack.url}/admin/api/keys`)).status()).toBe(401);
  });

  it('ran without a script error, a CSP refusal or a dialog', () => {
    expect(watch.errors).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  });
});

describeBrowser('the admin UI without an admin key', () => {
  it('shows how to set AUTH_KEY instead of a login form', async () => {
    const stack = await startStack({ AUTH_KEY: '' });
    const browser = await launchBrowser();
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(`${stack.url}/`);
      await page.getByText('One step left: set the admin key').waitFor();
      expect(await page.locator('.setup .code').textContent()).toContain('wrangler secret put AUTH_KEY');
      expect(await page.locator('input[name=key]').count()).toBe(0);
    } finally {
      await browser.close();
      await stack.close();
    }
  });
});
