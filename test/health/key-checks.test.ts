import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, type Json, startHarness, upstreamKey } from '../proxy/harness';

// Key health through OpenRouter's GET /key, on the real Node server: the admin's
// "check now", the scheduled run, and what the KeyView shows afterwards.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.clearKeys();
  h.mock.reset();
});
afterAll(() => h?.close());

async function checkAll(): Promise<Json> {
  const res = await h.admin('POST', '/keys/check');
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

const inferenceRequests = () => h.mock.requests.filter((r) => r.method === 'POST');

describe('POST /admin/api/keys/check', () => {
  it('marks a 401 key invalid, a spent key exhausted, a healthy key active, without a chat request', async () => {
    const dead = upstreamKey('dead');
    const spent = upstreamKey('spent');
    const good = upstreamKey('good');
    h.mock.keyInfo(dead, { status: 401 });
    h.mock.keyInfo(spent, { limit: 10, limit_remaining: 0, limit_reset: 'monthly', usage: 10 });
    h.mock.keyInfo(good, { limit: 20, usage: 5, is_free_tier: false });
    const [deadId, spentId, goodId] = await h.addKeys(dead, spent, good);

    const body = await checkAll();
    const byId = new Map((body.data as Json[]).map((k) => [k.id, k]));
    expect(byId.get(deadId)?.status).toBe('invalid');
    expect(byId.get(deadId)?.last_error).toMatchObject({ status: 401 });
    expect(byId.get(spentId)?.status).toBe('exhausted');
    expect(byId.get(spentId)?.credit).toMatchObject({ limit: 10, remaining: 0, limit_reset: 'monthly' });
    expect(byId.get(goodId)?.status).toBe('active');
    expect(byId.get(goodId)?.credit).toMatchObject({
      limit: 20,
      remaining: 15,
      usage: 5,
      is_free_tier: false,
    });
    expect(byId.get(goodId)?.checked_at).toEqual(expect.any(String));
    expect(body.remaining).toBe(0);

    const keyCalls = h.mock.requests.filter((r) => r.path.endsWith('/key'));
    // Each key was asked (on arrival, and again by the check).
    expect([...new Set(keyCalls.map((r) => r.key))].sort()).toEqual([dead, spent, good].sort());
    expect(keyCalls.every((r) => r.method === 'GET')).toBe(true);
    expect(inferenceRequests()).toEqual([]);
    expect(JSON.stringify(body)).not.toContain(dead.slice(12));

    // The next GET /admin/api/keys shows the same, and the proxy no longer picks the bad keys.
    const views = await h.keyViews();
    expect(views.get(deadId)?.status).toBe('invalid');
    expect(views.get(spentId)?.status).toBe('exhausted');
  });

  it('checks one key on demand: POST /admin/api/keys/:id/check', async () => {
    const flaky = upstreamKey('back');
    h.mock.keyInfo(flaky, { status: 401 });
    const [id] = await h.addKeys(flaky);
    await checkAll();
    expect((await h.keyViews()).get(id)?.status).toBe('invalid');
    h.mock.keyInfo(flaky, { limit: null });
    const once = await h.admin('POST', `/keys/${id}/check`);
    expect(once.status).toBe(200);
    expect(((await once.json()) as Json).status).toBe('active');
    expect(inferenceRequests()).toEqual([]);
  });

  it('leaves a key alone when GET /key fails (5xx): last error only', async () => {
    const key = upstreamKey('down');
    h.mock.always(key, { path: '/key', status: 503 });
    const [id] = await h.addKeys(key);
    const body = await checkAll();
    const view = (body.data as Json[]).find((k) => k.id === id);
    expect(view?.status).toBe('active');
    expect(view?.last_error).toMatchObject({ status: 503 });
  });

  it('answers 404 for an unknown key id', async () => {
    const res = await h.admin('POST', '/keys/0000000000000000/check');
    expect(res.status).toBe(404);
  });
});
