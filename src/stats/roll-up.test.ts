import { describe, expect, it } from 'vitest';
import { emptySnapshot, foldHour, rollUp, type UsageSnapshot } from './roll-up';
import { addRecord, emptyBucket } from './stats-bucket';
import { BUCKET_MS, bucketName, HOUR_MS, hourName, USAGE_NAME } from './stats-names';
import type { StoredHour } from './stats-reader';
import { countingStore, manualClock, okRecord } from './test-records';

const H = Date.UTC(2026, 4, 10, 23);
const silent = { log: () => {} };
const usage = { promptTokens: 10, completionTokens: 5, totalTokens: 15, cost: 0.5 };

function bucket(t: number, client = 'client-1') {
  const b = emptyBucket(t);
  addRecord(b, okRecord(t, { clientKeyId: client }), usage);
  return { v: 1 as const, ...b, log: [] };
}

describe('foldHour', () => {
  it('sums buckets of several isolates, keeps 5-minute totals, adds usage per client key', () => {
    const snapshot = emptySnapshot(H);
    const rolled = foldHour(snapshot, H, [bucket(H), bucket(H), bucket(H + 11 * BUCKET_MS, 'client-2')]);
    expect(rolled?.total.n).toBe(3);
    expect(rolled?.sub['0'].n).toBe(2);
    expect(rolled?.sub['11'].n).toBe(1);
    expect(snapshot).toMatchObject({ day: '2026-05-10', month: '2026-05' });
    expect(snapshot.dayUsage).toEqual({ 'client-1': [2, 30, 1], 'client-2': [1, 15, 0.5] });
  });

  it('starts the day (and month) over', () => {
    const snapshot: UsageSnapshot = {
      ...emptySnapshot(H),
      day: '2026-05-09',
      month: '2026-05',
      dayUsage: { c: [9, 9, 9] },
      monthUsage: { c: [9, 9, 9] },
    };
    foldHour(snapshot, H, [bucket(H, 'c')]);
    expect(snapshot.dayUsage).toEqual({ c: [1, 15, 0.5] });
    expect(snapshot.monthUsage).toEqual({ c: [10, 24, 9.5] });
  });

  it('answers null for an empty hour', () => {
    expect(foldHour(emptySnapshot(H), H, [])).toBeNull();
  });
});

describe('rollUp', () => {
  it('rolls up the hours that are over (after the grace), one write per hour and one per run', async () => {
    const clock = manualClock(H + 5 * 60_000);
    const counted = countingStore(clock.now);
    await counted.store.put(bucketName(H, 'a'), bucket(H));
    await counted.store.put(bucketName(H + BUCKET_MS, 'b'), bucket(H + BUCKET_MS));
    counted.writes.clear();
    const options = { store: counted.store, logger: silent, graceMs: 10 * 60_000, maxHours: 4 };
    let snapshot = await rollUp({ ...options, now: clock.now() });
    expect(snapshot.through).toBe(H);
    expect(counted.writes.get('sth')).toBeUndefined();

    clock.set(H + HOUR_MS + 10 * 60_000);
    snapshot = await rollUp({ ...options, now: clock.now() });
    expect(snapshot.through).toBe(H + HOUR_MS);
    expect((await counted.store.get<StoredHour>(hourName(H)))?.total.n).toBe(2);
    expect(await counted.store.get(USAGE_NAME)).toEqual(snapshot);
    expect(counted.writes.get('sth')).toBe(1);
    expect(counted.writes.get('stu')).toBe(2);

    // Nothing more is over: no write.
    await rollUp({ ...options, now: clock.now() + 1000 });
    expect(counted.totalWrites()).toBe(3);
  });

  it('catches up a backlog a few hours per run', async () => {
    const clock = manualClock(H + 10 * HOUR_MS);
    const counted = countingStore(clock.now);
    await counted.store.put(USAGE_NAME, emptySnapshot(H));
    const snapshot = await rollUp({
      store: counted.store,
      logger: silent,
      now: clock.now(),
      graceMs: 0,
      maxHours: 4,
    });
    expect(snapshot.through).toBe(H + 4 * HOUR_MS);
  });
});
