/**
 * The free plan's arithmetic (docs/storage-schema.md, "Coordinator arithmetic"), counted whole: a
 * day of 50,000 requests spread at random over ten isolates of the real app, every client key under
 * an rpm and a spending cap (the dearest case: each request is admitted and settled), a pool of
 * 10,000 keys, the cron's `scheduled` every 5 minutes (health checks, roll-ups, alerts), and the
 * admin each hour, over the real CoordinatorCore on SQLite (./free-plan-day.ts). Every call that
 * reaches the coordinator and every row it writes is counted, none estimated. Within 70% of the
 * free plan's 100,000 requests and 100,000 rows written a day; KV within its writes and lists.
 */
import { expect, it } from 'vitest';
import { simulateDay } from './free-plan-day';

const REQUESTS = 50_000;
const FREE = { requests: 100_000, rowsWritten: 100_000, kvWrites: 1_000, kvLists: 1_000 };

it('a day of 50,000 requests over ten isolates stays within 70% of the free plan', {
  timeout: 600_000,
}, async () => {
  const day = await simulateDay({
    requests: REQUESTS,
    isolates: 10,
    clients: 100,
    poolKeys: 10_000,
    limits: { rpm: 60, cap: { period: 'day', tokens: null, cost: 1_000 } },
    seed: 16,
  });
  const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
  const breakdown = Object.entries(day.calls)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([kind, n]) =>
        `    ${kind.padEnd(12)} ${String(n).padStart(6)} calls ${String(day.rows[kind] ?? 0).padStart(6)} rows`,
    )
    .join('\n');
  console.log(
    `free plan, ${REQUESTS} requests a day over 10 isolates, every client key with rpm and cap, cron and admin included:\n` +
      `  ${day.callsTotal} DO requests (${pct(day.callsTotal, FREE.requests)}), ` +
      `${day.rowsWritten} rows written (${pct(day.rowsWritten, FREE.rowsWritten)}); ` +
      `KV ${day.kv.writes} writes, ${day.kv.lists} lists; ${day.served} requests served; ` +
      `${day.settleItems} settlements in ${day.callsWithSettle} calls\n` +
      `  calls and the rows they wrote, by what they carried (settlements ride with them):\n${breakdown}`,
  );
  // A few requests meet their key's rpm (random arrivals): nearly all are served.
  expect(day.served).toBeGreaterThan(0.999 * REQUESTS);
  expect(day.callsTotal).toBeLessThan(0.7 * FREE.requests);
  expect(day.rowsWritten).toBeLessThan(0.7 * FREE.rowsWritten);
  expect(day.kv.writes).toBeLessThan(FREE.kvWrites);
  expect(day.kv.lists).toBeLessThan(FREE.kvLists);
});
