import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type AdminHarness, startAdminHarness } from './admin-harness';

// Failed UI logins slow down the address they come from: behind a reverse proxy, which address?
let h: AdminHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function login(key: string, forwardedFor: string): Promise<{ status: number; code?: string }> {
  if (!h) throw new Error('no server');
  const origin = h.url;
  const res = await fetch(`${origin}/ui/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ key }),
  });
  const json = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: json.error?.code };
}

/** Enough wrong keys from one address that its next try must wait (1 s). */
async function fail(forwardedFor: string): Promise<void> {
  for (let i = 0; i < 6; i++) expect((await login('wrong-key', forwardedFor)).status).toBe(401);
}

describe('the login throttle', () => {
  it('with TRUSTED_PROXIES=1, counts each client behind the proxy apart', async () => {
    h = await startAdminHarness({ TRUSTED_PROXIES: '1' });
    await fail('203.0.113.7');
    expect(await login('wrong-key', '203.0.113.7')).toEqual({ status: 429, code: 'login_throttled' });
    expect((await login('wrong-key', '198.51.100.9')).status).toBe(401);
    // What a client writes before the proxy's entry is not believed: it cannot pose as another.
    expect(await login('wrong-key', '198.51.100.9, 203.0.113.7')).toEqual({
      status: 429,
      code: 'login_throttled',
    });
  });

  it('by default, believes no header: everyone behind one proxy shares its address, yet the right key gets in', async () => {
    h = await startAdminHarness();
    await fail('203.0.113.7');
    expect(await login('wrong-key', '198.51.100.9')).toEqual({ status: 429, code: 'login_throttled' });
    // Someone else's failures never lock out the right key.
    expect((await login(ADMIN_KEY, '198.51.100.9')).status).toBe(200);
    expect((await login(ADMIN_KEY, '203.0.113.7')).status).toBe(200);
  });

  it('throttles wrong Bearer keys on the admin API and on /metrics, and never the right one', async () => {
    h = await startAdminHarness();
    const server = h;
    const get = (path: string, key: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } }).then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await get('/admin/api/keys', `guess-${i}`));
    for (let i = 4; i < 8; i++) statuses.push(await get('/metrics', `guess-${i}`));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    expect(await get('/metrics', ADMIN_KEY)).toBe(200);
    expect(await get('/admin/api/keys', ADMIN_KEY)).toBe(200);
  });
});
