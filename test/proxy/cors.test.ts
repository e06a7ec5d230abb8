import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, chatBody, type Harness, startHarness, upstreamKey } from './harness';

// Browser apps call the proxy from another origin: preflights pass, answers are readable.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.clearKeys();
  h.mock.reset();
});
afterAll(() => h?.close());

const ORIGIN = 'https://chat.example';

describe('CORS on the proxy', () => {
  it('answers a preflight without a key, allowing the headers asked for', async () => {
    for (const path of ['/v1/chat/completions', '/api/v1/models']) {
      const res = await fetch(`${h.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, x-stainless-os',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')).toBe(
        'authorization, content-type, x-stainless-os',
      );
      expect(res.headers.get('x-cloudrouter-attempts')).toBe('0');
    }
    expect(h.mock.requests).toHaveLength(0);
  });

  it('lets a page read answers, errors and CloudRouter headers alike, streams included', async () => {
    await h.addKeys(upstreamKey('a'));
    const plain = await h.post('/v1/chat/completions', chatBody(), { headers: { origin: ORIGIN } });
    const stream = await h.post('/v1/chat/completions', chatBody({ stream: true }), {
      headers: { origin: ORIGIN },
    });
    const refused = await h.post('/v1/chat/completions', chatBody(), {
      auth: 'cr-wrong',
      headers: { origin: ORIGIN },
    });
    const models = await fetch(`${h.url}/v1/models`, {
      headers: { authorization: `Bearer ${h.clientKey}`, origin: ORIGIN },
    });
    const unknown = await h.post('/v1/no-such-route', {}, { headers: { origin: ORIGIN } });
    expect([plain.status, stream.status, refused.status, models.status, unknown.status]).toEqual([
      200, 200, 401, 200, 404,
    ]);
    for (const res of [plain, stream, refused, models, unknown]) {
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('x-cloudrouter-attempts')).toMatch(/^[01]$/);
      await res.arrayBuffer();
    }
    expect(plain.headers.get('access-control-expose-headers')).toContain('x-cloudrouter-attempts');
    // The model list is a GET a cache could keep: it says that its headers depend on Origin.
    expect(models.headers.get('vary')).toBe('origin');
  });

  it('adds nothing to answers for clients that are no browser (no Origin): SDKs need no CORS', async () => {
    await h.addKeys(upstreamKey('a'));
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('1');
    await res.arrayBuffer();
  });

  it('gives the admin API none: its session is a cookie', async () => {
    const res = await fetch(`${h.url}/admin/api/keys`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}`, origin: ORIGIN },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${h.url}/admin/api/keys`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'DELETE' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
