import { Hono } from 'hono';
import { AppError } from '../errors';
import type { Services } from '../services';
import { breakdown, STATS_RANGES, type StatsRange, totalsView } from '../stats/summary';

/**
 * `GET /admin/api/stats?range=day|week|month`: chart points (`t`, `from`,
 * `to` in epoch ms), totals, and the same per model, client key and
 * upstream key (upstream keys count attempts).
 */
export function statsRoutes(services: Services): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const range = (c.req.query('range') ?? 'day') as StatsRange;
    if (!STATS_RANGES.includes(range)) throw badQuery(`"range" must be one of ${STATS_RANGES.join(', ')}`);
    await services.keys.ready();
    const [{ window, summary }, clients] = await Promise.all([
      services.stats.summary(range),
      services.clientKeys.list(),
    ]);
    const names = new Map(clients.map((k) => [k.id, k.name]));
    const pool = services.keys.pool;
    return c.json({
      range,
      bucket_ms: window.bucketMs,
      from: window.from,
      to: window.to,
      series: summary.series,
      totals: totalsView(summary.totals),
      by_model: breakdown(summary.models, (model) => ({ model })),
      by_client: breakdown(summary.clients, (id) => ({ id, name: names.get(id) ?? null })),
      by_key: breakdown(summary.keys, (id) => ({ id, hint: pool.get(id)?.hint ?? null })),
    });
  });
  return app;
}

function badQuery(message: string): AppError {
  return new AppError(400, message, 'invalid_query');
}
