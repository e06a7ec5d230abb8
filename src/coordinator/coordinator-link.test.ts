import { describe, expect, it } from 'vitest';
import { testClientKey as client } from '../client-keys/test-client-key';
import { LocalLimits } from '../limits/local-limits';
import { CoordinatedLimits } from './coordinated-limits';
import { CoordinatorLink } from './coordinator-link';
import type { CoordinatorAnswer, CoordinatorRequest } from './protocol';

function setup(call: (request: CoordinatorRequest) => Promise<CoordinatorAnswer>) {
  let now = 0;
  const logs: string[] = [];
  const calls: CoordinatorRequest[] = [];
  const link = new CoordinatorLink({
    call: (request) => {
      calls.push(request);
      return call(request);
    },
    clock: { now: () => now },
    logger: { log: (_level, message) => logs.push(message) },
    onSync: () => {},
    timeoutMs: 50,
  });
  const limits = new CoordinatedLimits({
    link,
    fallback: new LocalLimits({ used: () => ({ tokens: 0, cost: 0 }) }),
    seen: () => null,
    refusalNow: () => null,
  });
  return { link, limits, logs, calls, advance: (ms: number) => (now += ms) };
}

describe('CoordinatedLimits over a CoordinatorLink', () => {
  it('makes no call for a client key without rpm or cap', () => {
    const { limits, calls } = setup(async () => ({}));
    expect(limits.admit(client({}), 0)).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('goes on with the isolate’s own limits when the coordinator does not answer in time, logged once, not retried', async () => {
    const { limits, logs, calls, advance } = setup(() => new Promise(() => {}));
    const key = client({ rpm: 2 });
    const startedAt = Date.now();
    expect(await limits.admit(key, 0)).toBeNull();
    expect(Date.now() - startedAt).toBeLessThan(1000);
    // Down: the next requests make no call, and the local rpm holds (2 a minute).
    expect(await limits.admit(key, 0)).toBeNull();
    await expect(Promise.resolve().then(() => limits.admit(key, 0))).rejects.toMatchObject({ status: 429 });
    expect(calls).toHaveLength(1);
    expect(logs.filter((m) => m.includes('unreachable'))).toHaveLength(1);
    advance(6000);
    await limits.admit(client({ id: 'c2', rpm: 5 }), 6000);
    expect(calls).toHaveLength(2);
    expect(logs.filter((m) => m.includes('unreachable'))).toHaveLength(1);
  });

  it('sends settlements with the next call, and a refusal of the coordinator is the client’s 429', async () => {
    let answer: CoordinatorAnswer = { admit: { ok: true, ticket: 7, reserved: { tokens: 10, cost: 0 } } };
    const { limits, calls } = setup(async () => answer);
    const key = client({ cap: { period: 'day', tokens: 10, cost: null } });
    const ticket = await limits.admit(key, 0);
    if (ticket) limits.settle(ticket, { tokens: 4, cost: 0 });
    answer = { admit: { ok: false, cap: 'reached', used: { tokens: 10, cost: 0 } } };
    await expect(limits.admit(key, 0)).rejects.toMatchObject({ status: 429, code: 'spending_cap_reached' });
    expect(calls[1].settle).toEqual([{ ticket: 7, usage: { tokens: 4, cost: 0 } }]);
  });

  it('syncs for unknown bearers at most 4 times a second, however many come', async () => {
    const { link, calls, advance } = setup(async () => ({}));
    const syncs = Array.from({ length: 20 }, () => link.syncForUnknown());
    await Promise.all(syncs);
    // Shared while one is in flight: 20 asks, at most 4 calls.
    expect(calls.length).toBeLessThanOrEqual(4);
    for (let n = 0; n < 20; n++) await link.syncForUnknown();
    expect(calls.length).toBeLessThanOrEqual(4);
    advance(1000);
    for (let n = 0; n < 20; n++) await link.syncForUnknown();
    expect(calls.length).toBeLessThanOrEqual(8);
    expect(calls.length).toBeGreaterThan(4);
  });
});

describe('CoordinatorLink.syncAfterNow', () => {
  it('does not end with a sync that was already in flight: it makes one that starts after it', async () => {
    const answers: Array<() => void> = [];
    const { link, calls } = setup(
      () => new Promise<CoordinatorAnswer>((resolve) => answers.push(() => resolve({}))),
    );
    const early = link.sync(1000);
    const fresh = link.syncAfterNow(1000);
    let done = false;
    fresh.then(() => {
      done = true;
    });
    answers[0]();
    await early;
    await new Promise((resolve) => setImmediate(resolve));
    // The first answer may predate a change made meanwhile: a second call is made, and awaited.
    expect(calls).toHaveLength(2);
    expect(done).toBe(false);
    answers[1]();
    await fresh;
    expect(done).toBe(true);
  });
});
