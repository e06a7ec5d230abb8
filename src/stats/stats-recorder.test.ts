import { describe, expect, it } from 'vitest';
import { BUCKET_MS, bucketName, HOUR_MS } from './stats-names';
import { StatsRecorder, type StoredBucket } from './stats-recorder';
import { countingStore, failedRecord, manualClock, okRecord } from './test-records';

const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);
const silent = { log: () => {} };

function setup(writeOpenBuckets: boolean) {
  const clock = manualClock(T0);
  const counted = countingStore(clock.now);
  const recorder = new StatsRecorder({
    store: counted.store,
    clock,
    logger: silent,
    isolate: 'iso1',
    writeOpenBuckets,
    flushEveryMs: BUCKET_MS,
    logPerBucket: 3,
  });
  return { clock, counted, recorder };
}

describe('StatsRecorder', () => {
  it('adds a request to its bucket, the counters and the log as it is recorded', () => {
    const { recorder } = setup(false);
    const lines: string[] = [];
    const heard = new StatsRecorder({
      store: countingStore(() => T0).store,
      clock: manualClock(T0),
      logger: silent,
      isolate: 'iso3',
      writeOpenBuckets: false,
      flushEveryMs: BUCKET_MS,
      logPerBucket: 3,
      onEntry: (entry) => lines.push(entry.route),
    });
    recorder.record(okRecord(T0));
    heard.record(okRecord(T0));
    expect(recorder.buckets.get(T0)?.stats.total.n).toBe(1);
    expect(recorder.buckets.get(T0)?.log).toHaveLength(1);
    expect(recorder.lifetime.total.n).toBe(1);
    expect(lines).toEqual(['/chat/completions']);
  });

  it('on Workers writes each ended bucket once, never the open one', async () => {
    const { clock, counted, recorder } = setup(false);
    recorder.record(okRecord(T0 + 1000));
    expect(recorder.flushDue()).toBe(false);
    clock.advance(BUCKET_MS);
    recorder.record(okRecord(clock.now()));
    expect(recorder.flushDue()).toBe(true);
    await recorder.flush();
    expect(counted.totalWrites()).toBe(1);
    const stored = await counted.store.get<StoredBucket>(bucketName(T0, 'iso1'));
    expect(stored?.total.n).toBe(1);
    expect(stored?.log).toHaveLength(1);
    // The open bucket stays in memory; nothing more is due until the next one ends.
    expect([...recorder.buckets.keys()]).toEqual([T0 + BUCKET_MS]);
    expect(recorder.flushDue()).toBe(false);
    await recorder.flush();
    expect(counted.totalWrites()).toBe(1);
  });

  it('puts a late request into the first bucket still open, not into one already written', async () => {
    const { clock, counted, recorder } = setup(false);
    recorder.record(okRecord(T0));
    clock.advance(BUCKET_MS + 1);
    await recorder.flush();
    recorder.record(okRecord(T0 + 10));
    expect(recorder.buckets.has(T0)).toBe(false);
    expect(recorder.buckets.get(T0 + BUCKET_MS)?.stats.total.n).toBe(1);
    expect(counted.totalWrites()).toBe(1);
  });

  it('on Node also writes the open bucket, again when it changed', async () => {
    const { counted, recorder } = setup(true);
    recorder.record(okRecord(T0));
    await recorder.flush();
    await recorder.flush();
    recorder.record(okRecord(T0 + 5));
    await recorder.flush();
    expect(counted.totalWrites()).toBe(2);
    expect((await counted.store.get<StoredBucket>(bucketName(T0, 'iso1')))?.total.n).toBe(2);
  });

  it('keeps the newest log lines of a bucket, and the usage per client key by hour', async () => {
    const { clock, counted, recorder } = setup(false);
    for (let i = 0; i < 8; i++) recorder.record(okRecord(T0 + i, { latencyMs: i }));
    recorder.record(failedRecord(T0 + 9, 'rate_limited'));
    clock.advance(BUCKET_MS);
    await recorder.flush();
    const stored = await counted.store.get<StoredBucket>(bucketName(T0, 'iso1'));
    expect(stored?.log.map((e) => e.latency_ms)).toEqual([6, 7, 120]);
    expect(stored?.log[2].error_class).toBe('rate_limited');
    expect(recorder.usage.get(T0)?.get('client-1')).toEqual({ requests: 9, tokens: 120, cost: 0.008 });
    recorder.rollUpReached(T0 + HOUR_MS);
    expect(recorder.usage.size).toBe(0);
  });

  it('moves a bucket the roll-up has passed into the first bucket after it, usage included', async () => {
    const { clock, counted, recorder } = setup(false);
    recorder.record(okRecord(T0 + 1000));
    clock.set(T0 + HOUR_MS + 20 * 60_000);
    recorder.rollUpReached(T0 + HOUR_MS);
    expect([...recorder.buckets.keys()]).toEqual([T0 + HOUR_MS]);
    expect(recorder.usage.get(T0 + HOUR_MS)?.get('client-1')?.requests).toBe(1);
    await recorder.flush();
    expect((await counted.store.get<StoredBucket>(bucketName(T0 + HOUR_MS, 'iso1')))?.total.n).toBe(1);
    expect(await counted.store.get(bucketName(T0, 'iso1'))).toBeNull();
  });

  it('asks how far the roll-up has come before writing a bucket of an hour long over', async () => {
    const { clock, counted } = setup(false);
    let asked = 0;
    const recorder = new StatsRecorder({
      store: counted.store,
      clock,
      logger: silent,
      isolate: 'iso2',
      writeOpenBuckets: false,
      flushEveryMs: BUCKET_MS,
      logPerBucket: 3,
      rolledThrough: async () => {
        asked++;
        return T0 + HOUR_MS;
      },
    });
    recorder.record(okRecord(T0 + 30 * 60_000));
    clock.set(T0 + 36 * 60_000);
    await recorder.flush();
    expect(asked).toBe(0);
    // Then a request at :40 and nothing until 20 minutes into the next hour, rolled up meanwhile.
    recorder.record(okRecord(T0 + 40 * 60_000));
    clock.set(T0 + HOUR_MS + 20 * 60_000);
    await recorder.flush();
    expect(asked).toBe(1);
    expect(await counted.store.get(bucketName(T0 + 40 * 60_000, 'iso2'))).toBeNull();
    expect((await counted.store.get<StoredBucket>(bucketName(T0 + HOUR_MS, 'iso2')))?.total.n).toBe(1);
  });
});
