import { Hono } from 'hono';
import { AppError } from '../errors';
import type { Services } from '../services';
import { matchesStatus } from '../stats/log-entry';

/** Most lines one call answers. */
export const MAX_LOG_LINES = 1000;

/**
 * `GET /admin/api/logs?limit=100&status=error|success|<code>`: the recent
 * requests, newest first (a day at most; no prompt or answer text).
 */
export function logsRoutes(services: Services): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const limitText = c.req.query('limit') ?? '100';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_LOG_LINES)
      throw badQuery(`"limit" must be a whole number from 1 to ${MAX_LOG_LINES}`);
    const status = c.req.query('status') || null;
    if (status && !/^(error|success|\d{3})$/.test(status))
      throw badQuery('"status" must be "error", "success" or a status code');
    const data = await services.stats.logs(limit, (entry) => matchesStatus(entry, status));
    return c.json({ data });
  });
  return app;
}

function badQuery(message: string): AppError {
  return new AppError(400, message, 'invalid_query');
}
