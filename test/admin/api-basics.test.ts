import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type AdminHarness, type Json, startAdminHarness } from './admin-harness';

let h: AdminHarness;

beforeAll(async () => {
  // The smallest body limit, so that 413 is cheap to reach.
  h = await startAdminHarness({ MAX_BODY_BYTES: '1024' });
});

afterAll(async () => {
  await h?.close();
});

const ROUTES: Array<[string, string]> = [
  ['GET', '/keys'],
  ['POST', '/keys'],
  ['PATCH', '/keys/abc'],
  ['DELETE', '/keys/abc'],
  ['POST', '/keys/check'],
  ['GET', '/client-keys'],
  ['POST', '/client-keys'],
  ['PATCH', '/client-keys/abc'],
  ['DELETE', '/client-keys/abc'],
  ['GET', '/model-map'],
  ['PUT', '/model-map'],
];

describe('/health', () => {
  it('answers 200 {status: "ok"} without auth', async () => {
    const res = await fetch(`${h.url}/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).status).toBe('ok');
  });
});

describe('admin auth', () => {
  // A wrong key counts against the address; after a few, the answer is 429 (see login-throttle.test.ts).
  it('answers 401 (429 once the address has failed often) without a bearer, with a wrong one, or with another scheme', async () => {
    for (const [method, path] of ROUTES) {
      for (const init of [
        { auth: null },
        { auth: 'wrong' },
        { auth: `${ADMIN_KEY}x` },
        { auth: ADMIN_KEY.slice(0, -1) },
        { auth: null, headers: { authorization: `Basic ${btoa(`admin:${ADMIN_KEY}`)}` } },
        { auth: null, headers: { authorization: ADMIN_KEY } },
      ]) {
        const { status, json } = await h.adminJson(method, path, { keys: [] }, init);
        expect([401, 429], `${method} ${path} ${JSON.stringify(init)}`).toContain(status);
        expect(typeof json.error.message).toBe('string');
        expect(typeof json.error.type).toBe('string');
      }
    }
  });

  it('accepts the admin key, also with a lower-case scheme', async () => {
    expect((await h.adminJson('GET', '/keys')).status).toBe(200);
    const lower = await h.adminJson('GET', '/keys', undefined, {
      auth: null,
      headers: { authorization: `bearer ${ADMIN_KEY}` },
    });
    expect(lower.status).toBe(200);
  });

  it('does not let an unknown admin route bypass auth', async () => {
    expect((await h.adminJson('GET', '/no-such-thing', undefined, { auth: null })).status).toBe(401);
  });
});

describe('model map', () => {
  it('stores and reads back the contract example', async () => {
    const map = { aliases: { 'deepseek-coder': 'deepseek/deepseek-coder', 'gpt-4o*': 'openai/gpt-4o*' } };
    const put = await h.adminJson('PUT', '/model-map', map);
    expect(put.status).toBe(200);
    expect(put.json).toEqual(map);
    const got = await h.adminJson('GET', '/model-map');
    expect(got.status).toBe(200);
    expect(got.json).toEqual(map);
  });

  it('rejects a map that is not the contract shape with a 400', async () => {
    for (const body of [{ deepseek: 'x' }, { aliases: { a: 5 } }, { aliases: [] }]) {
      const { status, json } = await h.adminJson('PUT', '/model-map', body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.error.message.length).toBeGreaterThan(10);
    }
    expect((await h.adminJson('GET', '/model-map')).json.aliases['gpt-4o*']).toBe('openai/gpt-4o*');
  });
});

describe('errors', () => {
  it('answers an unknown route with a JSON 404', async () => {
    for (const path of ['/nope', '/v2/chat/completions', '/admin/nope']) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const json = (await res.json()) as Json;
      expect(typeof json.error.message).toBe('string');
      expect(json.error.type).toBe('not_found_error');
    }
    const admin = await h.adminJson('GET', '/no-such-thing');
    expect(admin.status).toBe(404);
    expect(admin.json.error.type).toBe('not_found_error');
  });

  it('answers a body that is not JSON with a 400', async () => {
    for (const [method, path] of [
      ['POST', '/keys'],
      ['POST', '/client-keys'],
      ['PUT', '/model-map'],
      ['PATCH', '/keys/abc'],
    ]) {
      const { status, json } = await h.adminJson(method, path, undefined, { raw: '{"keys": [' });
      expect(status, `${method} ${path}`).toBe(400);
      expect(json.error.message).toMatch(/not valid JSON/);
    }
  });

  it('answers a body over the limit with a 413', async () => {
    const big = { name: 'x'.repeat(2000) };
    const { status, json } = await h.adminJson('POST', '/client-keys', big);
    expect(status).toBe(413);
    expect(json.error.type).toBe('request_too_large');
    expect(json.error.message).toMatch(/larger than 1024 bytes/);
    const map = { aliases: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`a${i}`, `b/c${i}`])) };
    expect((await h.adminJson('PUT', '/model-map', map)).status).toBe(413);
  });

  it('counts bytes, not characters, and needs no Content-Length to refuse', async () => {
    // 400 three-byte characters: 400 characters but 1,200 bytes.
    const body = JSON.stringify({ name: '限'.repeat(400) });
    expect(body.length).toBeLessThan(1024);
    // Sent in pieces, some time apart, so that no Content-Length can be known up front.
    const bytes = new TextEncoder().encode(body);
    let at = 0;
    const chunked = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, at + 100));
        at += 100;
      },
    });
    const res = await fetch(`${h.url}/admin/api/client-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    await res.arrayBuffer();
  });

  it('takes a key import larger than the general limit, up to its own', async () => {
    // MAX_BODY_BYTES is 1 KiB here; an import of 100 keys (about 8 KiB) still goes through.
    const keys = Array.from({ length: 100 }, (_, i) => `sk-or-v1-${String(i).padStart(64, '0')}`);
    const ok = await h.adminJson('POST', '/keys', { keys });
    expect(ok.status).toBe(201);
    expect(ok.json.added).toHaveLength(100);
    const huge = JSON.stringify({ keys: ['x'.repeat(6 * 1024 * 1024)] });
    const res = await h.admin('POST', '/keys', undefined, { raw: huge });
    expect(res.status).toBe(413);
  }, 60_000);
});
