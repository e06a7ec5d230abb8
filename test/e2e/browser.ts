/**
 * Shared set-up of the browser tests: Debian's chromium driven by playwright-core,
 * one fresh profile per launch, and a record of what went wrong inside the page.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's chromium (`CHROMIUM_PATH` overrides it). */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * `describe` when chromium is there; outside CI a missing chromium skips the
 * tests with a message. In CI they always run (and fail without chromium).
 */
export const describeBrowser: typeof describe = (() => {
  if (existsSync(CHROMIUM) || process.env.CI) return describe;
  console.warn(
    `[e2e] skipped: ${CHROMIUM} is missing. Install it (apt-get install -y chromium) to run the browser tests.`,
  );
  return describe.skip as typeof describe;
})();

/** A launched browser: its context, where its profile lives, and a close that removes it. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts headless chromium with a fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'cloudrouter-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'en-US',
    viewport: { width: 1360, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What went wrong in a page: uncaught errors, CSP refusals, dialogs (`alert`). */
export interface PageWatch {
  errors: string[];
  cspViolations: string[];
  dialogs: string[];
}

/** Watches a page for errors, Content-Security-Policy refusals and dialogs (dismissed at once). */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { errors: [], cspViolations: [], dialogs: [] };
  page.on('pageerror', (err) => watch.errors.push(String(err)));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to/i.test(text)) watch.cspViolations.push(text);
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  return watch;
}

/**
 * Types into several fields within one task, as autofill or a fast paste does, so that no
 * render runs between the input events: a form that builds each change on the state of its
 * last render would lose all but the last field.
 */
export async function fillAtOnce(page: Page, fields: [selector: string, value: string][]): Promise<void> {
  await page.evaluate((pairs) => {
    for (const [selector, value] of pairs) {
      const field = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector);
      if (!field) throw new Error(`no field ${selector}`);
      field.value = value;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }, fields);
}
