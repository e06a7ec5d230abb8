import { Hono } from 'hono';
import { AppError } from '../errors';
import type { Services } from '../services';
import { LOG_STATUS_PATTERN, type LogFilter, matchesLog } from '../stats/log-filter';

/** Most lines one call answers. */
export const MAX_LOG_LINES = 1000;
/** Longest value a text filter takes (a model name, an id). */
const MAX_FILTER_CHARS = 300;

/**
 * `GET /admin/api/logs?limit=100&status=error|success|4xx|<code>&client=<id>&model=<name>&key=<id>`:
 * the recent requests, newest first (a day at most; no prompt or answer text), each with its
 * attempts (`tries`).
 */
export function logsRoutes(services: Services): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const limitText = c.req.query('limit') ?? '100';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_LOG_LINES)
      throw badQuery(`"limit" must be a whole number from 1 to ${MAX_LOG_LINES}`);
    const status = c.req.query('status') || null;
    if (status && !LOG_STATUS_PATTERN.test(status))
      throw badQuery('"status" must be "error", "success", a class such as "5xx", or a status code');
    const text = (name: string) => {
      const value = c.req.query(name) || null;
      if (value !== null && value.length > MAX_FILTER_CHARS)
        throw badQuery(`"${name}" is longer than ${MAX_FILTER_CHARS} characters`);
      return value;
    };
    const filter: LogFilter = { status, client: text('client'), model: text('model'), key: text('key') };
    const data = await services.stats.logs(limit, (entry) => matchesLog(entry, filter));
    return c.json({ data });
  });
  return app;
}

function badQuery(message: string): AppError {
  return new AppError(400, message, 'invalid_query');
}
