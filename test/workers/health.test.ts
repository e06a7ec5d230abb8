import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Json, statsWorker, upstreamKey } from './stats-harness';

// Key health in workerd: the admin's check and the cron trigger (`scheduled`), both
// through GET /key of the mock, never a chat request.
const w = statsWorker('health');
const HOUR = 60 * 60_000;

afterEach(async () => {
  await w.settle();
  vi.useRealTimers();
});

describe('key health on Workers', () => {
  it('one check marks keys invalid, exhausted and active; the cron brings a recovered key back', async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const dead = upstreamKey('dead');
    const spent = upstreamKey('spent');
    const good = upstreamKey('good');
    await w.keyInfo(dead, { status: 401 });
    await w.keyInfo(spent, { limit: 5, limit_remaining: 0, limit_reset: 'monthly' });
    await w.keyInfo(good, { limit: 50, usage: 1 });
    const [deadId, spentId, goodId] = await w.addKeys(dead, spent, good);

    const res = await w.admin('POST', '/keys/check');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    const status = Object.fromEntries((body.data as Json[]).map((k) => [k.id, k.status]));
    expect(status).toEqual({ [deadId]: 'invalid', [spentId]: 'exhausted', [goodId]: 'active' });
    expect(body.remaining).toBe(0);
    const good_ = (body.data as Json[]).find((k) => k.id === goodId);
    expect(good_?.credit).toMatchObject({ limit: 50, remaining: 49 });

    // The key comes back upstream; 6 hours later the cron's run finds out.
    await w.keyInfo(dead, { limit: null });
    vi.setSystemTime(start + 6 * HOUR + 60_000);
    await w.cron();
    expect((await w.keyViews()).get(deadId)?.status).toBe('active');
    expect((await w.keyViews()).get(spentId)?.status).toBe('exhausted');

    const seen = await w.requestsOf([dead, spent, good]);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.every((r) => r.method === 'GET' && r.path.endsWith('/key'))).toBe(true);
  });

  it('checks one key on demand, and keeps the outcome in KV for the next isolate', async () => {
    const flaky = upstreamKey('flaky');
    await w.keyInfo(flaky, { status: 401 });
    const [id] = await w.addKeys(flaky);
    const res = await w.admin('POST', `/keys/${id}/check`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).status).toBe('invalid');
    await w.settle();
    // A new app over the same KV (as another isolate would be) reads the outcome back.
    const other = statsWorker('health', {}, w);
    const view = (await other.keyViews()).get(id);
    expect(view?.status).toBe('invalid');
    expect(view?.last_error).toMatchObject({ status: 401 });
    expect(view?.checked_at).toEqual(expect.any(String));
    expect((await other.admin('POST', '/keys/0000000000000000/check')).status).toBe(404);
    await other.settle();
  });
});
