/**
 * Smoke test of the admin UI on the Workers runtime: `wrangler dev` (workerd, local KV)
 * in front of the mock OpenRouter, driven by chromium: log in, see the dashboard, add keys.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';
import { startWranglerDev, type WranglerDev } from '../wrangler';
import { type Browser, describeBrowser, launchBrowser, type PageWatch, watchPage } from './browser';
import { fakeKeys } from './stack';

const AUTH_KEY = 'e2e-workers-admin-key';

describeBrowser('the admin UI on wrangler dev', () => {
  let mock: MockOpenRouter;
  let dev: WranglerDev;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    mock = await startMockOpenRouter();
    dev = await startWranglerDev({ AUTH_KEY, OPENROUTER_BASE_URL: mock.url });
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    watch = watchPage(page);
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    await dev?.stop();
    await mock?.close();
  });

  it('serves the same UI from the Worker: log in, see the dashboard', async () => {
    const res = await page.goto(`${dev.url}/`);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.fill('input[name=key]', AUTH_KEY);
    await page.click('button[type=submit]');
    await page.locator('.metrics').waitFor();
    expect(await page.locator('.runtime-tag').textContent()).toBe('Running on Workers');
    expect(await page.locator('.metric').first().textContent()).toContain('Upstream keys');
  });

  it('adds and checks keys, kept in KV', async () => {
    const keys = fakeKeys(5, 'sk-or-v1-wr');
    mock.keyInfo(keys[0], { status: 401 });
    await page.goto(`${dev.url}/#/keys`);
    await page.getByRole('button', { name: 'Add keys' }).first().click();
    await page.fill('textarea.key-paste', keys.join('\n'));
    await page.getByRole('button', { name: 'Add 5 keys' }).click();
    await page.getByText('5 added, 0 skipped as duplicates').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Check all' }).click();
    const chip = (name: string) => page.locator('.chip', { hasText: name }).textContent();
    await expect.poll(() => chip('Invalid'), { timeout: 60_000 }).toBe('Invalid1');
    expect(await chip('Active')).toBe('Active4');
    expect(watch.errors).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });
});
