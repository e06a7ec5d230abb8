import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, type Json, startHarness, upstreamKey } from '../proxy/harness';

// The scheduled side of key health on Node: `runScheduled()` and the timer
// (HEALTH_CHECK_INTERVAL_MS), with the clock moved on by faking `Date` only.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ HEALTH_CHECK_INTERVAL_MS: '200' });
});
afterEach(async () => {
  vi.useRealTimers();
  await h.clearKeys();
  h.mock.reset();
});
afterAll(() => h?.close());

const HOUR = 60 * 60_000;
const statusOf = async (id: string) => (await h.keyViews()).get(id)?.status as string;
const inference = () => h.mock.requests.filter((r) => r.method === 'POST');
const keyChecks = (secret: string) =>
  h.mock.requests.filter((r) => r.path.endsWith('/key') && r.key === secret);

// `performance.now()`, not `Date.now()`: the tests fake `Date`.
async function until(what: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await what())) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('scheduled key checks on Node', () => {
  it('bring back a recovered key at the next run after its recheck time', async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const dead = upstreamKey('dead');
    const spent = upstreamKey('spent');
    h.mock.keyInfo(dead, { status: 401 });
    h.mock.keyInfo(spent, { limit: 5, limit_remaining: 0, limit_reset: 'daily' });
    const [deadId, spentId] = await h.addKeys(dead, spent);
    await h.server.router.services.runScheduled();
    expect(await statusOf(deadId)).toBe('invalid');
    expect(await statusOf(spentId)).toBe('exhausted');

    h.mock.keyInfo(dead, { limit: null });
    h.mock.keyInfo(spent, { limit: 5, limit_remaining: 5, limit_reset: 'daily' });
    // Before their recheck time nothing is asked again...
    const asked = keyChecks(dead).length;
    await h.server.router.services.runScheduled();
    expect(keyChecks(dead)).toHaveLength(asked);
    // ...6 hours on, the invalid key; after midnight UTC, the exhausted one.
    vi.setSystemTime(start + 6 * HOUR + 1000);
    await h.server.router.services.runScheduled();
    expect(await statusOf(deadId)).toBe('active');
    vi.setSystemTime(Math.floor(start / (24 * HOUR)) * 24 * HOUR + 24 * HOUR + 60_000);
    await h.server.router.services.runScheduled();
    expect(await statusOf(spentId)).toBe('active');
    expect(inference()).toEqual([]);
  });

  it('run on the timer (HEALTH_CHECK_INTERVAL_MS) by themselves', { timeout: 60_000 }, async () => {
    const key = upstreamKey('timer');
    const [id] = await h.addKeys(key);
    await until(async () => keyChecks(key).length > 0);
    await until(async () => (await h.keyViews()).get(id)?.checked_at !== null);
    // The key dies upstream: an hour on, the timer's run finds out.
    h.mock.keyInfo(key, { status: 401 });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + HOUR + 1000 });
    await until(async () => (await statusOf(id)) === 'invalid');
    const view = (await h.keyViews()).get(id) as Json;
    expect(view.last_error).toMatchObject({ status: 401 });
    expect(inference()).toEqual([]);
  });
});
