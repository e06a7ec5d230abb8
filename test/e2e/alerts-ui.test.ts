/**
 * Alerts in a real browser (Node server, mock OpenRouter) and a webhook receiver on 127.0.0.1:
 * the admin adds one webhook per message format in Settings and sends a test alert; then keys
 * die, credit runs low and requests fail, and the receiver gets each kind of alert once in each
 * format, however many checks run within the window. No key is ever in a message, only hints.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, launchBrowser, type PageWatch, watchPage } from './browser';
import { ADMIN_KEY, fakeKeys, type Stack, startStack } from './stack';

// biome-ignore lint/suspicious/noExplicitAny: the bodies are whatever each format holds
type Body = any;
interface Received {
  path: string;
  body: Body;
}

const FORMATS = ['json', 'slack', 'feishu', 'dingtalk', 'wecom'] as const;
/** What each service answers to a message it took (a refusal is a 200 with an error code). */
const ANSWERS: Record<string, { status: number; body: string }> = {
  json: { status: 204, body: '' },
  slack: { status: 200, body: 'ok' },
  feishu: { status: 200, body: '{"code":0,"msg":"success","data":{}}' },
  dingtalk: { status: 200, body: '{"errcode":0,"errmsg":"ok"}' },
  wecom: { status: 200, body: '{"errcode":0,"errmsg":"ok"}' },
  refuse: { status: 200, body: '{"errcode":310000,"errmsg":"keywords not in content"}' },
};

/** The text of a message, whatever its format. */
function textOf(format: string, body: Body): string {
  if (format === 'json') return body.text;
  if (format === 'slack') return body.text;
  if (format === 'feishu') return body.content.text;
  return body.text.content;
}

const KINDS: Array<[kind: string, title: RegExp]> = [
  ['test', /^CloudRouter: Test alert/],
  ['keys_low', /^CloudRouter: Few usable keys/],
  ['key_dead', /^CloudRouter: (A key|\d+ keys) stopped working/],
  ['credit_low', /^CloudRouter: Credit running low/],
  ['error_rate', /^CloudRouter: Error rate high/],
];
const kindOf = (text: string) => KINDS.find(([, title]) => title.test(text))?.[0] ?? `unknown: ${text}`;

describeBrowser('alerts to webhooks', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  let receiver: Server;
  let hookBase = '';
  const received: Received[] = [];
  const [lowA, lowB, revoked, drained] = fakeKeys(4);
  const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}/admin/api${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /** The (kind, format) pairs received, as `kind/format`, sorted. */
  const pairs = (kinds?: string[]) =>
    received
      .map((r) => {
        const format = r.path.slice(1);
        return `${kindOf(textOf(format, r.body))}/${format}`;
      })
      .filter((pair) => !kinds || kinds.includes(pair.split('/')[0]))
      .sort();

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => {
        data += chunk;
      });
      req.on('end', () => {
        const path = req.url ?? '/';
        received.push({ path, body: JSON.parse(data) });
        const answer = ANSWERS[path.slice(1)] ?? { status: 404, body: '' };
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    stack = await startStack({ ALERT_CHECK_MS: '250', HEALTH_CHECK_INTERVAL_MS: '86400000' });
    expect((await admin('POST', '/keys', { keys: [lowA, lowB, revoked, drained] })).status).toBe(201);
    // New keys are checked on arrival: they arrive healthy, and what goes wrong later is seen by
    // the next check.
    for (
      let waited = 0;
      stack.mock.requests.filter((r) => r.path.endsWith('/key')).length < 4;
      waited += 50
    ) {
      if (waited > 30_000) throw new Error('the keys were not checked on arrival');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    stack.mock.keyInfo(lowA, { limit: 100, usage: 95 });
    stack.mock.keyInfo(lowB, { limit: 100, usage: 98 });
    stack.mock.keyInfo(revoked, { status: 401 });
    stack.mock.keyInfo(drained, { limit: null, usage: 1 });

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
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('adds a webhook per format in Settings and sends a test alert to each', async () => {
    await page.goto(`${stack.url}/#/settings`);
    const card = page.locator('.alerts-card');
    await card.getByText('No webhook yet: nothing is sent.').waitFor();
    for (const [i, format] of [...FORMATS, 'refuse'].entries()) {
      await card.getByRole('button', { name: 'Add a webhook' }).click();
      await card.locator(`input[name=webhook-url-${i}]`).fill(`${hookBase}/${format}`);
      await card
        .locator(`select[name=webhook-format-${i}]`)
        .selectOption(format === 'refuse' ? 'dingtalk' : format);
    }
    await card.getByRole('button', { name: 'Send a test alert' }).click();
    await poll(() => card.locator('.test-results li').count()).toBe(6);
    const results = await card.locator('.test-results li').allTextContents();
    expect(results.filter((r) => r.endsWith('delivered') && !r.includes('not delivered'))).toHaveLength(5);
    expect(results.find((r) => r.includes('/refuse'))).toMatch(
      /not delivered: code 310000: keywords not in content$/,
    );
    expect(pairs()).toEqual([...FORMATS, 'refuse'].map((f) => `test/${f}`).sort());

    // Each format as its service documents it.
    const body = (format: string) => received.find((r) => r.path === `/${format}`)?.body;
    expect(body('json')).toMatchObject({
      source: 'cloudrouter',
      kind: 'test',
      title: 'CloudRouter: Test alert',
    });
    expect(Object.keys(body('slack'))).toEqual(['text']);
    expect(body('feishu')).toMatchObject({ msg_type: 'text', content: { text: expect.any(String) } });
    expect(body('dingtalk')).toMatchObject({ msgtype: 'text', text: { content: expect.any(String) } });
    expect(body('wecom')).toMatchObject({ msgtype: 'text', text: { content: expect.any(String) } });

    // The refusing webhook goes; the rules are set and saved.
    await card.getByRole('button', { name: 'Remove this webhook' }).nth(5).click();
    await card.locator('input[name=min_usable_keys]').fill('4');
    await card.locator('input[name=min_credit]').fill('10');
    await card.locator('input[name=max_error_rate_pct]').fill('20');
    await card.locator('input[name=window_minutes]').fill('60');
    await card.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').first().waitFor();
    const saved = (await (await admin('GET', '/alerts')).json()) as { settings: Body };
    expect(saved.settings).toMatchObject({
      min_usable_keys: 4,
      min_credit: 10,
      max_error_rate: 0.2,
      window_minutes: 60,
      key_dead: true,
    });
    expect(saved.settings.webhooks).toHaveLength(5);
    await page.reload();
    await poll(() => card.locator('input[name=max_error_rate_pct]').inputValue()).toBe('20');
  });

  it('posts each alert kind once per window, in each format, with hints and never keys', async () => {
    // A healthy pool first: the checks running now see nothing to say.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(pairs(['keys_low', 'key_dead', 'credit_low', 'error_rate'])).toEqual([]);

    // A key dies at its check (one: a second dying moments later would wait for the next
    // window), two have little credit left; requests fail upstream.
    expect((await admin('POST', '/keys/check')).status).toBe(200);
    for (const key of [lowA, lowB, drained])
      stack.mock.always(key, { status: 502, error: { message: 'Provider returned error' } });
    const created = (await (await admin('POST', '/client-keys', { name: 'alerts test' })).json()) as Body;
    for (let i = 0; i < 12; i++)
      await fetch(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
      }).then((r) => r.text());

    const kinds = ['keys_low', 'key_dead', 'credit_low', 'error_rate'];
    const expected = kinds.flatMap((k) => FORMATS.map((f) => `${k}/${f}`)).sort();
    await poll(() => pairs(kinds)).toEqual(expected);
    // Many more checks run within the window: nothing is sent twice.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(pairs(kinds)).toEqual(expected);

    const json = (kind: string) => received.find((r) => r.path === '/json' && r.body.kind === kind)?.body;
    expect(json('keys_low')).toMatchObject({ usable_keys: 3, total_keys: 4, threshold: 4 });
    expect(json('key_dead')).toMatchObject({
      key_count: 1,
      keys: [{ hint: `sk-or-v1-…${revoked.slice(-4)}`, status: 'invalid' }],
    });
    // What the check saw: the keys' credit as their checks came in (5 and 2 in the end).
    expect(json('credit_low')).toMatchObject({ threshold: 10 });
    expect([2, 5, 7]).toContain(json('credit_low').credit_left);
    // Sent by the first check that saw 10 requests (a check may run while they come in).
    expect(json('error_rate')).toMatchObject({ error_rate: 1, threshold: 0.2 });
    expect(json('error_rate').failed).toBe(json('error_rate').requests);
    expect(json('error_rate').requests).toBeGreaterThanOrEqual(10);
    const everything = JSON.stringify(received);
    for (const secret of [lowA, lowB, revoked, drained]) expect(everything).not.toContain(secret.slice(10));
    expect(everything).toContain(`sk-or-v1-…${revoked.slice(-4)}`);

    // Settings says when each was last sent.
    await page.reload();
    await poll(() => page.locator('.last-sent').textContent()).toContain('keys stopped working');
  });

  it('ran without a script error, a CSP refusal or a dialog', () => {
    expect(watch.errors).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  });
});
