import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, type Json, startAdminHarness } from './admin-harness';

// Every number and id an admin chooses is bounded: a clear 400 (or 404) naming the field, never a 500 later.
let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness();
});
afterAll(() => h?.close());

async function refused(method: string, path: string, body: Json, message: RegExp): Promise<void> {
  const { status, json } = await h.adminJson(method, path, body);
  expect(status, JSON.stringify(json)).toBe(400);
  expect(json.error.message).toMatch(message);
}

describe('admin numbers', () => {
  it('refuses an rpm outside 1..10000 naming the field and its range, on create and on patch', async () => {
    await refused(
      'POST',
      '/client-keys',
      { name: 'a', rpm: 10_000_000_000 },
      /"rpm" must be a whole number from 1 to 10000/,
    );
    await refused(
      'POST',
      '/client-keys',
      { name: 'a', rpm: 0 },
      /"rpm" must be a whole number from 1 to 10000/,
    );
    const { json: created } = await h.adminJson('POST', '/client-keys', { name: 'b', rpm: 10_000 });
    expect(created.rpm).toBe(10_000);
    await refused(
      'PATCH',
      `/client-keys/${created.id}`,
      { rpm: 10_001 },
      /"rpm" must be a whole number from 1 to 10000/,
    );
  });

  it('refuses caps beyond their range', async () => {
    await refused(
      'POST',
      '/client-keys',
      { name: 'a', cap: { period: 'day', tokens: 1e16 } },
      /"cap.tokens" must be a whole number from 1 to 1000000000000/,
    );
    await refused(
      'POST',
      '/client-keys',
      { name: 'a', cap: { period: 'day', cost: 1e300 } },
      /"cap.cost" must be a number above 0 and at most 1000000/,
    );
  });

  it('refuses timeouts beyond what a timer can wait', async () => {
    await refused(
      'PUT',
      '/settings',
      { upstream_timeout_ms: 2 ** 31 },
      /"upstream_timeout_ms" must be a whole number from 100 to 600000/,
    );
    await refused(
      'PUT',
      '/settings',
      { request_deadline_ms: 1e12 },
      /"request_deadline_ms" must be a whole number from 100 to 3600000/,
    );
    await refused(
      'PUT',
      '/settings',
      { max_attempts: 1000 },
      /"max_attempts" must be a whole number from 1 to 20/,
    );
  });

  it('refuses over-long allowed-model patterns', async () => {
    await refused(
      'POST',
      '/client-keys',
      { name: 'a', models: ['x'.repeat(5000)] },
      /"models\[0\]" must be at most 200 characters/,
    );
  });
});

describe('ids in paths', () => {
  it('answers 404, never 500, to a 600-character id on every route that takes one', async () => {
    const id = 'a'.repeat(600);
    const calls: Array<[string, string, Json | undefined]> = [
      ['GET', `/client-keys/${id}`, undefined],
      ['PATCH', `/client-keys/${id}`, { name: 'x' }],
      ['DELETE', `/client-keys/${id}`, undefined],
      ['PATCH', `/keys/${id}`, { label: 'x' }],
      ['DELETE', `/keys/${id}`, undefined],
      ['POST', `/keys/${id}/check`, undefined],
    ];
    for (const [method, path, body] of calls) {
      const { status, json } = await h.adminJson(method, path, body);
      expect(status, `${method} ${path.slice(0, 20)}: ${JSON.stringify(json)}`).toBe(404);
      expect(json.error.message.length).toBeLessThan(100);
    }
  });
});
