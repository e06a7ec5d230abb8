/**
 * The coordinator restarted (a deploy, an eviction, a reset: its memory gone, its SQLite kept)
 * while client keys are busy: an rpm limit lets no second burst through, a reservation in flight
 * still holds the cap's room, and the usage of a request admitted before the restart still counts.
 * Two isolates of the Worker over a coordinator the test aborts (./isolates.ts, `switchable`).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIMITS_KEEP_MS } from '../../src/coordinator/coordinator-core';
import { type MockOpenRouter, startMockOpenRouter } from '../mock-openrouter';
import { type Isolates, type Json, startIsolates } from './isolates';

let mock: MockOpenRouter;
let iso: Isolates;
const POOL_KEY = 'sk-or-v1-restart-pool-0123456789abcdef0123456789';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  mock = await startMockOpenRouter();
  iso = await startIsolates({
    count: 2,
    mockUrl: mock.url,
    switchable: true,
    bindings: { CONVERSATION_AFFINITY: 'false', UPSTREAM_TIMEOUT_MS: '30000' },
  });
  expect((await iso.admin(0, 'POST', '/keys', { keys: [POOL_KEY] })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await iso?.dispose();
  await mock?.close();
});

const clientKey = (body: Json = {}) => iso.clientKey(0, body);

/**
 * Lets the object keep its limits: the first call LIMITS_KEEP_MS after the last keeping writes
 * them. Calls come every 2 s meanwhile, as on a busy deployment (workerd evicts an object idle for
 * 10 s; Cloudflare after 70 s or more, when no rpm window holds anything any more).
 */
async function letItKeep(): Promise<void> {
  const until = Date.now() + LIMITS_KEEP_MS + 500;
  while (Date.now() < until) {
    await sleep(2000);
    expect((await iso.admin(1, 'GET', '/client-keys')).status).toBe(200);
  }
}

it('rpm 3: three requests, a restart, and the fourth in the same minute is still refused', async () => {
  const client = await clientKey({ rpm: 3 });
  const codes = [];
  for (let n = 0; n < 3; n++) codes.push((await iso.chat(n % 2, client.key)).status);
  expect(codes).toEqual([200, 200, 200]);
  await letItKeep();
  await iso.restartCoordinator();
  const after = await iso.chat(1, client.key);
  expect(after.status).toBe(429);
  expect(after.headers.get('retry-after')).not.toBeNull();
}, 60_000);

it('a cap: a request in flight over a restart keeps its room reserved, and its usage counts when it ends', async () => {
  // What one request spends (the mock's usage for this body), measured with a key without a cap.
  const meter = await clientKey();
  const measured = (await (await iso.chat(0, meter.key)).json()) as Json;
  const per = measured.usage.total_tokens as number;
  expect(per).toBeGreaterThan(0);
  // Room for two requests: the first ends before, the second is in flight over the restart.
  const client = await clientKey({ cap: { period: 'day', tokens: 2 * per, cost: null } });
  expect((await iso.chat(0, client.key)).status).toBe(200);
  mock.always(POOL_KEY, { delayMs: LIMITS_KEEP_MS + 4000 });
  let slow: Promise<Response>;
  try {
    slow = iso.chat(0, client.key);
    await sleep(500);
    await letItKeep();
    await iso.restartCoordinator();
    // Room left: 2 × per − per used − per held by the slow one = none: refused, not admitted.
    const meanwhile = await iso.chat(1, client.key);
    expect(meanwhile.status).toBe(429);
    expect(((await meanwhile.json()) as Json).error.code).toBe('spending_cap_in_flight');
    expect((await slow).status).toBe(200);
  } finally {
    mock.always(POOL_KEY, null);
  }
  // Its settlement rides with isolate 0's next call: the cap is reached, on every isolate.
  await iso.chat(0, meter.key);
  for (const i of [0, 1]) {
    const answer = await iso.chat(i, client.key);
    expect(answer.status).toBe(429);
    expect(((await answer.json()) as Json).error.code).toBe('spending_cap_reached');
  }
}, 60_000);
