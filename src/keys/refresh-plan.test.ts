import { describe, expect, it } from 'vitest';
import { KEYS_SAFETY_MS, KV_SETTLE_MS, keysListed, planRefresh, type RefreshMarks } from './refresh-plan';

const T0 = 1_700_000_000_000;
const cadence = { keysSafetyMs: KEYS_SAFETY_MS, statesMs: 15 * 60_000 };
const version = (v: number, n = 'aaaa0000') => ({ v, n });
const listedAt = (now: number, v: number | null): RefreshMarks => ({
  ...keysListed({ keysAt: -1, tag: '', settleAt: null, statesAt: now }, v === null ? null : version(v), now),
});

describe('planRefresh', () => {
  it('lists nothing while the version stays the same', () => {
    const marks = listedAt(T0, T0 - 3_600_000);
    expect(planRefresh(marks, version(T0 - 3_600_000), T0 + 60_000, cadence)).toEqual({
      keys: false,
      states: false,
    });
  });

  it('lists key: when the version changed, or appeared', () => {
    expect(planRefresh(listedAt(T0, T0 - 5000), version(T0 + 1000), T0 + 60_000, cadence).keys).toBe(true);
    expect(
      planRefresh(listedAt(T0, T0 - 5000), version(T0 - 5000, 'bbbb1111'), T0 + 60_000, cadence).keys,
    ).toBe(true);
    expect(planRefresh(listedAt(T0, null), version(T0 + 1000), T0 + 60_000, cadence).keys).toBe(true);
    expect(planRefresh(listedAt(T0, null), null, T0 + 60_000, cadence).keys).toBe(false);
  });

  it('lists key: once more when the last listing came within KV_SETTLE_MS of the change', () => {
    const marks = listedAt(T0 + 5000, T0);
    expect(marks.settleAt).toBe(T0 + KV_SETTLE_MS);
    expect(planRefresh(marks, version(T0), T0 + KV_SETTLE_MS - 1, cadence).keys).toBe(false);
    expect(planRefresh(marks, version(T0), T0 + KV_SETTLE_MS, cadence).keys).toBe(true);
    // That second listing came late enough: no third.
    const after = keysListed(marks, version(T0), T0 + KV_SETTLE_MS);
    expect(after.settleAt).toBeNull();
    expect(planRefresh(after, version(T0), T0 + 10 * KV_SETTLE_MS, cadence).keys).toBe(false);
  });

  it('lists key: at the safety interval even without a change', () => {
    const marks = listedAt(T0, T0 - 3_600_000);
    expect(planRefresh(marks, version(T0 - 3_600_000), T0 + KEYS_SAFETY_MS - 1, cadence).keys).toBe(false);
    expect(planRefresh(marks, version(T0 - 3_600_000), T0 + KEYS_SAFETY_MS, cadence).keys).toBe(true);
  });

  it('lists ks: on its own cadence', () => {
    const marks = listedAt(T0, null);
    expect(planRefresh(marks, null, T0 + cadence.statesMs - 1, cadence)).toEqual({
      keys: false,
      states: false,
    });
    expect(planRefresh(marks, null, T0 + cadence.statesMs, cadence)).toEqual({ keys: false, states: true });
  });
});
