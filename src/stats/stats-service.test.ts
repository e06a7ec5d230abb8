import { describe, expect, it } from 'vitest';
import type { ClientKeyRecord } from '../client-keys/client-key-record';
import { matchesStatus } from './log-filter';
import { BUCKET_MS, HOUR_MS } from './stats-names';
import { StatsService } from './stats-service';
import { countingStore, failedRecord, manualClock, okRecord } from './test-records';

const T0 = Date.UTC(2026, 4, 10, 10, 0, 0);
const silent = { log: () => {} };

function isolates(n: number, runtime: 'node' | 'workers' = 'workers') {
  const clock = manualClock(T0);
  const counted = countingStore(clock.now);
  const services = Array.from(
    { length: n },
    () =>
      new StatsService({
        store: counted.store,
        clock,
        logger: silent,
        runtime,
        flushMs: BUCKET_MS,
        requestLogs: false,
      }),
  );
  return { clock, counted, services };
}

const capped = (cap: ClientKeyRecord['cap']): ClientKeyRecord => ({
  id: 'client-1',
  name: 'capped',
  hash: 'x',
  hint: 'cr-…1',
  enabled: true,
  models: null,
  rpm: null,
  expires_at: null,
  cap,
  created_at: '',
  updated_at: '',
});

describe('StatsService on Workers (isolates share only the store)', () => {
  it('sums every isolate’s buckets on read, with the reader’s own open bucket', async () => {
    const { clock, services } = isolates(2);
    const [a, b] = services;
    a.recorder.record(okRecord(T0 + 1000, { keyId: 'k1' }));
    b.recorder.record(okRecord(T0 + 2000, { keyId: 'k2', clientKeyId: 'client-2' }));
    b.recorder.record(failedRecord(T0 + 3000, 'no_credit', ['k2'], 402));
    clock.advance(BUCKET_MS);
    await b.afterRequest();
    a.recorder.record(okRecord(clock.now(), { keyId: 'k1' }));
    const { summary } = await a.summary('day');
    expect(summary.totals.n).toBe(4);
    expect(summary.keys.k1.n).toBe(2);
    expect(summary.keys.k2).toMatchObject({ n: 2, ok: 1, f: { no_credit: 1 } });
    expect(Object.keys(summary.clients).sort()).toEqual(['client-1', 'client-2']);
    expect(summary.series.filter((p) => p.requests > 0).map((p) => p.requests)).toEqual([3, 1]);
    // a's first bucket is still in its memory (not yet due): counted once, not twice.
    await a.maintain();
    expect((await a.summary('day')).summary.totals.n).toBe(4);
  });

  it('rolls up hours and still shows the same numbers over a week', async () => {
    const { clock, services } = isolates(2);
    const [a, b] = services;
    for (let i = 0; i < 5; i++) a.recorder.record(okRecord(T0 + i * BUCKET_MS));
    for (let i = 0; i < 3; i++) b.recorder.record(okRecord(T0 + i * BUCKET_MS, { keyId: 'k9' }));
    clock.set(T0 + HOUR_MS + 11 * 60_000);
    // a rolls up before b wrote its buckets: b's come late, and move after the roll-up.
    await a.maintain();
    await b.maintain();
    expect(a.ledger.through).toBe(T0 + HOUR_MS);
    for (const range of ['day', 'week', 'month'] as const) {
      const { summary } = await a.summary(range);
      expect(summary.totals.n, range).toBe(8);
      expect(summary.keys.k9.n, range).toBe(3);
    }
  });

  it('serves the log newest first across isolates, filtered', async () => {
    const { clock, services } = isolates(2);
    const [a, b] = services;
    a.recorder.record(okRecord(T0 + 1));
    b.recorder.record(failedRecord(T0 + 2, 'rate_limited'));
    clock.advance(BUCKET_MS);
    await b.afterRequest();
    a.recorder.record(okRecord(clock.now() + 3, { model: 'newest' }));
    const all = await a.logs(10, () => true);
    expect(all.map((e) => e.model)).toEqual(['newest', 'gpt-4o-mini', 'gpt-4o-mini']);
    expect(all[1].error_class).toBe('rate_limited');
    const errors = await a.logs(10, (e) => matchesStatus(e, 'error'));
    expect(errors).toHaveLength(1);
    expect(await a.logs(1, () => true)).toHaveLength(1);
  });

  it('stops a capped client key once its usage reaches the cap, counting other isolates once rolled up', async () => {
    const { clock, services } = isolates(2);
    const [a, b] = services;
    const client = capped({ period: 'day', tokens: 40, cost: null });
    await a.usageReady();
    a.recorder.record(okRecord(T0));
    a.recorder.record(okRecord(T0 + 1));
    expect(a.capRefusal(client)).toBeNull();
    a.recorder.record(okRecord(T0 + 2));
    expect(a.capRefusal(client)?.status).toBe(429);
    // Another isolate learns of it once the hour is rolled up.
    expect(b.capRefusal(client)).toBeNull();
    clock.set(T0 + HOUR_MS + 11 * 60_000);
    await a.maintain();
    await b.maintain();
    expect(b.capRefusal(client)?.status).toBe(429);
    expect(b.clientUsage('client-1').today).toEqual({ requests: 3, tokens: 45, cost: 0.003 });
    // The next day starts over.
    clock.set(T0 + 24 * HOUR_MS);
    expect(b.capRefusal(client)).toBeNull();
    expect(b.clientUsage('client-1').month.requests).toBe(3);
  });

  it('costs nothing on the hot path for a key without a cap', () => {
    const { services } = isolates(1);
    services[0].recorder.record(okRecord(T0));
    expect(services[0].capRefusal(capped(null))).toBeNull();
  });
});

describe('StatsService on Node', () => {
  it('reads back what a previous process wrote, and its usage, after a restart', async () => {
    const clock = manualClock(T0);
    const counted = countingStore(clock.now);
    const options = {
      store: counted.store,
      clock,
      logger: silent,
      runtime: 'node' as const,
      flushMs: BUCKET_MS,
      requestLogs: false,
    };
    const before = new StatsService(options);
    for (let i = 0; i < 4; i++) before.recorder.record(okRecord(T0 + i));
    await before.shutdown();
    const after = new StatsService(options);
    await after.usageReady();
    expect((await after.summary('day')).summary.totals.n).toBe(4);
    expect(after.clientUsage('client-1').today.requests).toBe(4);
    expect(after.capRefusal(capped({ period: 'month', tokens: 60, cost: null }))?.status).toBe(429);
    expect((await after.logs(100, () => true)).length).toBe(4);
  });
});
