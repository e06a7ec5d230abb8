import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, type Json, startHarness } from '../proxy/harness';

// The alerts' admin API through the real Node server: settings checked, a test alert sent to
// webhooks that answer, refuse, or never answer.
let h: Harness;
let hooks: Server;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  h = await startHarness({ ALERT_CHECK_MS: '0' });
  hooks = createServer((req, res) => {
    seen.push(req.url ?? '');
    req.resume();
    if (req.url === '/hang') return; // never answers
    if (req.url === '/down') res.writeHead(503).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
});
afterAll(async () => {
  hooks?.closeAllConnections();
  await new Promise((resolve) => hooks?.close(resolve));
  await h?.close();
});

describe('/admin/api/alerts', () => {
  it('starts with no webhook, so nothing is sent', async () => {
    const res = await h.admin('GET', '/alerts');
    expect(((await res.json()) as Json).settings).toMatchObject({ webhooks: [], key_dead: true });
    const test = await h.admin('POST', '/alerts/test');
    expect(test.status).toBe(400);
    expect(((await test.json()) as Json).error.message).toMatch(/no webhook/);
  });

  it('refuses what it cannot use, saying which field', async () => {
    const res = await h.admin('PUT', '/alerts', { webhooks: [{ url: 'file:///etc/passwd' }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.message).toMatch(/webhooks\[0\]\.url/);
    expect((await h.admin('PUT', '/alerts', { window_minutes: 0 })).status).toBe(400);
    expect((await h.admin('PUT', '/alerts', '{"webhooks": [')).status).toBe(400);
  });

  it('answers what each webhook said; one that hangs is given up after its timeout', async () => {
    const webhooks = [
      { url: `${base}/ok`, format: 'wecom' },
      { url: `${base}/down`, format: 'slack' },
      { url: `${base}/hang`, format: 'json' },
    ];
    expect((await h.admin('PUT', '/alerts', { webhooks })).status).toBe(200);
    const started = Date.now();
    const res = await h.admin('POST', '/alerts/test');
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as Json;
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(results).toEqual([
      { url: `${base}/ok`, format: 'wecom', ok: true, error: null },
      { url: `${base}/down`, format: 'slack', ok: false, error: 'HTTP 503' },
      { url: `${base}/hang`, format: 'json', ok: false, error: expect.stringMatching(/timed? ?out|within/i) },
    ]);
    expect(seen).toEqual(expect.arrayContaining(['/ok', '/down', '/hang']));
  }, 20_000);

  it('tries webhooks given in the body without saving them', async () => {
    const res = await h.admin('POST', '/alerts/test', {
      webhooks: [{ url: `${base}/other`, format: 'feishu' }],
    });
    expect(((await res.json()) as Json).results).toEqual([
      { url: `${base}/other`, format: 'feishu', ok: true, error: null },
    ]);
    const saved = ((await (await h.admin('GET', '/alerts')).json()) as Json).settings.webhooks as Json[];
    expect(saved.map((w) => w.url)).not.toContain(`${base}/other`);
  });
});
