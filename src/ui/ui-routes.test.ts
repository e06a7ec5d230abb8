import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { parseConfig } from '../config';
import { UpstreamFailure } from '../deps';
import { workersExchange } from '../runtime/workers/workers-exchange';
import { MemoryStore } from '../store/memory-store';
import { entry } from './generated/assets';

const AUTH_KEY = 'ui-test-admin-key';
const ORIGIN = 'http://router.test';

function appWith(options: { authKey?: string; runtime?: 'node' | 'workers' } = {}) {
  let now = Date.parse('2025-01-01T00:00:00Z');
  const { app } = createApp({
    config: parseConfig({
      AUTH_KEY: options.authKey ?? AUTH_KEY,
      OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1',
    }),
    store: new MemoryStore(),
    upstream: {
      send: async () => {
        throw new UpstreamFailure('network', 'no upstream in these tests');
      },
    },
    exchange: workersExchange,
    clientAddress: () => '192.0.2.1',
    clock: { now: () => now },
    runtime: options.runtime ?? 'node',
  });
  const call = (path: string, init: RequestInit & { url?: string } = {}) =>
    app.request(`${init.url ?? ORIGIN}${path}`, init);
  return { call, advance: (ms: number) => (now += ms) };
}

const sameOrigin = { origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' };

async function login(
  call: ReturnType<typeof appWith>['call'],
  key = AUTH_KEY,
  headers: Record<string, string> = sameOrigin,
) {
  return call('/ui/login', { method: 'POST', headers, body: JSON.stringify({ key }) });
}

async function session(call: ReturnType<typeof appWith>['call']) {
  const res = await login(call);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrf } = (await res.json()) as { csrf: string };
  return { cookie, csrf };
}

describe('the UI page and its assets', () => {
  it('serves the page at / under a strict Content-Security-Policy, loading only its own hashed assets', async () => {
    const { call } = appWith();
    const res = await call('/');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).toContain(`src="/ui/${entry.js}"`);
    expect(html).toContain(`href="/ui/${entry.css}"`);
    expect(html).not.toMatch(/<script>|<style|style=|https?:\/\//);
  });

  it('serves the assets with a year of cache, and 404 for unknown names', async () => {
    const { call } = appWith();
    const js = await call(`/ui/${entry.js}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await js.text()).length).toBeGreaterThan(1000);
    const css = await call(`/ui/${entry.css}`);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await call('/ui/app.0000.js')).status).toBe(404);
  });
});

describe('the session', () => {
  it('logs in with the admin key: a signed, HttpOnly, SameSite=Strict cookie; Secure only over HTTPS', async () => {
    const { call } = appWith();
    const res = await login(call);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^cr_session=v2\.[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(AUTH_KEY);
    const https = await call('/ui/login', {
      url: 'https://router.test',
      method: 'POST',
      headers: { ...sameOrigin, origin: 'https://router.test' },
      body: JSON.stringify({ key: AUTH_KEY }),
    });
    expect(https.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('refuses a wrong key, and a login from another site', async () => {
    const { call } = appWith();
    const wrong = await login(call, 'not-the-key');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const foreign = await login(call, AUTH_KEY, {
      origin: 'https://evil.test',
      'content-type': 'application/json',
    });
    expect(foreign.status).toBe(403);
  });

  it('answers 429 to wrong keys from an address that failed often, yet always lets the right key in', async () => {
    const { call, advance } = appWith();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login(call, `guess-${i}`)).status);
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses[6]).toBe(429);
    const blocked = await login(call, 'guess-7');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Someone else's failures at the same address never lock the admin out.
    expect((await login(call)).status).toBe(200);
    advance(1);
    expect((await login(call, 'guess-8')).status).toBe(401);
  });

  it('counts wrong Bearer keys on the admin API against the address too, and still takes the right one', async () => {
    const { call } = appWith();
    const bearer = (key: string) => call('/admin/api/keys', { headers: { authorization: `Bearer ${key}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await bearer(`guess-${i}`)).status);
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses.slice(6)).toEqual([429, 429]);
    // The UI login shares the count.
    expect((await login(call, 'guess-ui')).status).toBe(429);
    expect((await bearer(AUTH_KEY)).status).toBe(200);
  });

  it('ends the session on the server at logout: a kept copy of the cookie stops working', async () => {
    const { call } = appWith();
    const { cookie } = await session(call);
    expect((await call('/admin/api/keys', { headers: { cookie } })).status).toBe(200);
    const out = await call('/ui/logout', { method: 'POST', headers: { ...sameOrigin, cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^cr_session=; /);
    expect((await call('/admin/api/keys', { headers: { cookie } })).status).toBe(401);
    const state = (await (await call('/ui/session', { headers: { cookie } })).json()) as Record<
      string,
      unknown
    >;
    expect(state.authenticated).toBe(false);
  });

  it('signs out everywhere: every session ends, and a new login works', async () => {
    const { call } = appWith();
    const a = await session(call);
    const b = await session(call);
    // Needs the session's CSRF token: another site cannot sign the admin out.
    const forged = await call('/ui/logout-everywhere', {
      method: 'POST',
      headers: { ...sameOrigin, cookie: a.cookie },
    });
    expect(forged.status).toBe(403);
    const res = await call('/ui/logout-everywhere', {
      method: 'POST',
      headers: { ...sameOrigin, cookie: a.cookie, 'x-csrf-token': a.csrf },
    });
    expect(res.status).toBe(204);
    for (const { cookie } of [a, b]) {
      expect((await call('/admin/api/keys', { headers: { cookie } })).status).toBe(401);
    }
    const c = await session(call);
    expect((await call('/admin/api/keys', { headers: { cookie: c.cookie } })).status).toBe(200);
  });

  it('lets the cookie read the admin API; writes need the CSRF token and our own origin', async () => {
    const { call } = appWith();
    const { cookie, csrf } = await session(call);
    expect((await call('/admin/api/keys', { headers: { cookie } })).status).toBe(200);
    const body = JSON.stringify({ keys: ['sk-or-v1-ui-test-key-1'] });
    const post = (headers: Record<string, string>) =>
      call('/admin/api/keys', { method: 'POST', headers, body });
    expect((await post({ cookie, ...sameOrigin })).status).toBe(403);
    expect((await post({ cookie, ...sameOrigin, 'x-csrf-token': 'forged' })).status).toBe(403);
    const crossSite = {
      cookie,
      'x-csrf-token': csrf,
      origin: 'https://evil.test',
      'sec-fetch-site': 'cross-site',
    };
    expect((await post(crossSite)).status).toBe(403);
    expect((await post({ cookie, ...sameOrigin, 'x-csrf-token': csrf })).status).toBe(201);
  });

  it('keeps the bearer key working for scripts, with no CSRF token', async () => {
    const { call } = appWith();
    const res = await call('/admin/api/keys', {
      method: 'POST',
      headers: { authorization: `Bearer ${AUTH_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ keys: ['sk-or-v1-ui-test-key-2'] }),
    });
    expect(res.status).toBe(201);
  });

  it('tells the page whether it is signed in, and ends after 12 hours', async () => {
    const { call, advance } = appWith();
    expect(await (await call('/ui/session')).json()).toMatchObject({ authenticated: false });
    const { cookie, csrf } = await session(call);
    expect(await (await call('/ui/session', { headers: { cookie } })).json()).toMatchObject({
      authenticated: true,
      csrf,
    });
    advance(12 * 60 * 60 * 1000);
    expect(await (await call('/ui/session', { headers: { cookie } })).json()).toMatchObject({
      authenticated: false,
    });
    expect((await call('/admin/api/keys', { headers: { cookie } })).status).toBe(401);
  });

  it('logs out by clearing the cookie', async () => {
    const { call } = appWith();
    const { cookie } = await session(call);
    const res = await call('/ui/logout', { method: 'POST', headers: { cookie, ...sameOrigin } });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(
      /^cr_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict/,
    );
  });

  it('on Workers with an AUTH_KEY under 16 characters, answers 503 on the admin side saying how to make one', async () => {
    const { call } = appWith({ authKey: 'short-key', runtime: 'workers' });
    for (const res of [
      await call('/ui/session'),
      await login(call, 'short-key'),
      await call('/admin/api/keys', { headers: { authorization: 'Bearer short-key' } }),
    ]) {
      expect(res.status).toBe(503);
      const { error } = (await res.json()) as { error: { message: string; code: string } };
      expect(error.code).toBe('auth_key_too_short');
      expect(error.message).toContain('at least 16');
      expect(error.message).toContain('openssl rand -hex 32');
    }
  });

  it('on Workers without AUTH_KEY, still serves the page and says how to set the key', async () => {
    const { call } = appWith({ authKey: '', runtime: 'workers' });
    expect((await call('/')).status).toBe(200);
    const res = await call('/ui/session');
    expect(res.status).toBe(503);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toContain('wrangler secret put AUTH_KEY');
    expect((await login(call)).status).toBe(503);
  });
});
