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
    expect((await login(ADMIN_KEY, '198.51.100.9')).status).toBe(200);
    // What a client writes before the proxy's entry is not believed: it cannot pose as another.
    expect(await login(ADMIN_KEY, '198.51.100.9, 203.0.113.7')).toEqual({
      status: 429,
      code: 'login_throttled',
    });
    // Still waiting: the other client got in while this one was held back.
    expect((await login(ADMIN_KEY, '203.0.113.7')).status).toBe(429);
  });

  it('by default, believes no header: everyone behind one proxy shares its address', async () => {
    h = await startAdminHarness();
    await fail('203.0.113.7');
    expect(await login(ADMIN_KEY, '198.51.100.9')).toEqual({ status: 429, code: 'login_throttled' });
  });
});
