import { describe, expect, it } from 'vitest';
import type { Upstream, UpstreamRequest } from '../deps';
import { UpstreamFailure } from '../deps';
import { KeyPool } from '../keys/key-pool';
import { STATE_PREFIX } from '../keys/key-records';
import { KeyService } from '../keys/key-service';
import { countingStore, manualClock } from '../stats/test-records';
import { HealthChecker } from './health-checker';

const T0 = Date.UTC(2026, 4, 13, 12);
const H = 60 * 60_000;
const silent = { log: () => {} };
const encoder = new TextEncoder();

type Answer = { status: number; body: unknown } | 'network';

/** An upstream that answers GET /key per key from a table, and counts calls and concurrency. */
function fakeUpstream(answers: Map<string, Answer>) {
  const calls: UpstreamRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const upstream: Upstream = {
    async send(request) {
      calls.push(request);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      const answer = answers.get(request.headers.authorization.slice(7)) ?? {
        status: 200,
        body: { data: { limit: null } },
      };
      if (answer === 'network') throw new UpstreamFailure('network', 'connection refused');
      const bytes = encoder.encode(JSON.stringify(answer.body));
      return {
        status: answer.status,
        headers: {},
        bytes: async () => bytes,
        chunks: async function* () {},
        cancel() {},
      };
    },
  };
  return { upstream, calls, maxInFlight: () => maxInFlight };
}

async function setup(secrets: string[], answers: Map<string, Answer>) {
  const clock = manualClock(T0);
  const counted = countingStore(clock.now);
  const pool = new KeyPool({ strategy: 'round-robin', cooldown: { baseMs: 1000, maxMs: 60_000 } });
  const keys = new KeyService({ store: counted.store, pool, clock, refreshMs: 0 });
  await keys.importKeys(secrets, '');
  counted.writes.clear();
  const fake = fakeUpstream(answers);
  const checker = new HealthChecker({
    keys,
    upstream: fake.upstream,
    clock,
    logger: silent,
    baseUrl: 'https://or.test/api/v1',
    timeoutMs: 1000,
  });
  const byHealth = () => Object.fromEntries([...pool.values()].map((k) => [k.secret, k.state.health]));
  return { clock, counted, keys, pool, fake, checker, byHealth };
}

const spent = {
  status: 200,
  body: { data: { limit: 5, limit_remaining: 0, limit_reset: 'daily', usage: 5 } },
};

describe('HealthChecker', () => {
  it('moves each key by its GET /key answer and writes only what changed', async () => {
    const answers = new Map<string, Answer>([
      [
        'dead',
        { status: 401, body: { error: { code: 401, message: 'No auth credentials found for dead' } } },
      ],
      ['spent', spent],
      ['down', { status: 502, body: null }],
      ['gone', 'network'],
    ]);
    const s = await setup(['dead', 'spent', 'down', 'gone', 'fine'], answers);
    const run = await s.checker.run(40);
    expect(run).toMatchObject({ remaining: 0 });
    expect(run.checked).toHaveLength(5);
    expect(s.byHealth()).toEqual({
      dead: 'invalid',
      spent: 'exhausted',
      down: 'active',
      gone: 'active',
      fine: 'active',
    });
    expect(s.fake.calls.every((c) => c.method === 'GET' && c.url === 'https://or.test/api/v1/key')).toBe(
      true,
    );
    const dead = [...s.pool.values()].find((k) => k.secret === 'dead');
    expect(dead?.state.lastError?.message).not.toContain('for dead');
    const exhausted = [...s.pool.values()].find((k) => k.secret === 'spent');
    expect(exhausted?.state.until).toBe(Date.UTC(2026, 4, 14));
    // dead, spent (health) and fine (first check written); failed checks write nothing.
    expect(s.counted.writes.get('ks')).toBe(3);
  });

  it('rechecks by need: a recovered invalid key comes back after 6 hours, an exhausted one after its reset', async () => {
    const answers = new Map<string, Answer>([
      ['dead', { status: 401, body: null }],
      ['spent', spent],
    ]);
    const s = await setup(['dead', 'spent', 'fine'], answers);
    await s.checker.run(40);
    answers.delete('dead');
    answers.delete('spent');
    s.clock.advance(H + 1);
    expect((await s.checker.run(40)).checked.map((k) => k.secret)).toEqual(['fine']);
    s.clock.set(T0 + 6 * H + 1);
    expect((await s.checker.run(40)).checked.map((k) => k.secret)).toEqual(['fine', 'dead']);
    expect(s.byHealth()).toMatchObject({ dead: 'active', spent: 'exhausted' });
    s.clock.set(Date.UTC(2026, 4, 14, 0, 5));
    const afterReset = (await s.checker.run(40)).checked.map((k) => k.secret);
    expect(afterReset[0]).toBe('spent');
    expect(afterReset.sort()).toEqual(['dead', 'fine', 'spent']);
    expect(s.byHealth()).toEqual({ dead: 'active', spent: 'active', fine: 'active' });
  });

  it('writes an unchanged healthy key at most once a day', async () => {
    const s = await setup(['fine'], new Map());
    await s.checker.run(40);
    for (let i = 1; i <= 23; i++) {
      s.clock.set(T0 + i * H);
      await s.checker.run(40);
    }
    expect(s.fake.calls).toHaveLength(24);
    expect(s.counted.writes.get('ks')).toBe(1);
    s.clock.set(T0 + 24 * H);
    await s.checker.run(40);
    expect(s.counted.writes.get('ks')).toBe(2);
    const stored = await s.counted.store.get<{ ck: number }>(`${STATE_PREFIX}${[...s.pool.values()][0].id}`);
    expect(stored?.ck).toBe(T0 + 24 * H);
  });

  it('checks at most `limit` keys per run, 8 at a time, and says how many are left', async () => {
    const secrets = Array.from({ length: 50 }, (_, i) => `k${i}`);
    const s = await setup(secrets, new Map());
    const first = await s.checker.run(40);
    expect(first.checked).toHaveLength(40);
    expect(first.remaining).toBe(10);
    expect(s.fake.maxInFlight()).toBe(8);
    const second = await s.checker.run(40);
    expect(second.checked).toHaveLength(10);
    expect(new Set([...first.checked, ...second.checked]).size).toBe(50);
  });
});
