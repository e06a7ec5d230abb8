/**
 * Spending caps and rpm on the real Node server: requests in parallel under a
 * cap pass it by at most one request's worth (issue 14: eight parallel
 * requests under a near-zero cap all passed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatBody, type Harness, type Json, startHarness, upstreamKey } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.addKeys(upstreamKey('lim'));
});
afterAll(() => h.close());

async function clientKey(body: Json): Promise<string> {
  const res = await h.admin('POST', '/client-keys', { name: 'limited', ...body });
  expect(res.status).toBe(201);
  return ((await res.json()) as Json).key as string;
}

describe('limits on Node', () => {
  it('lets one of eight parallel requests through a cap that one request uses up', async () => {
    const key = await clientKey({ cap: { period: 'day', tokens: 1, cost: null } });
    h.mock.always('*', { delayMs: 150 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => h.post('/v1/chat/completions', chatBody(), { auth: key })),
      );
      const codes = await Promise.all(
        answers.map(async (r) => (r.status === 200 ? 'ok' : ((await r.json()) as Json).error.code)),
      );
      expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
      expect(codes.filter((c) => c === 'spending_cap_in_flight')).toHaveLength(7);
    } finally {
      h.mock.always('*', null);
    }
    const after = await h.post('/v1/chat/completions', chatBody(), { auth: key });
    expect(after.status).toBe(429);
    expect(((await after.json()) as Json).error.code).toBe('spending_cap_reached');
  });

  it('lets exactly rpm requests through in parallel', async () => {
    const key = await clientKey({ rpm: 6 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => h.post('/v1/chat/completions', chatBody(), { auth: key })),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(6);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(4);
  });
});
