import { Hono } from 'hono';
import { pathId } from '../admin/path-id';
import { AppError } from '../errors';
import { type KeyView, toKeyView } from '../keys/key-view';
import type { Services } from '../services';

/**
 * `POST /admin/api/keys/check` (every key; on Workers as many as one
 * invocation's subrequests allow, `remaining` says how many are left for the
 * next call) and `POST /admin/api/keys/:id/check` (one key).
 */
export function checkRoutes(services: Services): Hono {
  const app = new Hono();
  const { keys, clock, health, stats, config } = services;

  app.post('/check', async (c) => {
    const limit = services.deps.runtime === 'workers' ? config.healthCheckBatch : Number.MAX_SAFE_INTEGER;
    const run = await health.run(limit, true);
    const counts = await stats.keyCounts();
    const now = clock.now();
    const data: KeyView[] = [...keys.pool.values()]
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((k) => toKeyView(k, now, counts.get(k.id)));
    return c.json({ data, checked: run.checked.length, remaining: run.remaining });
  });

  app.post('/:id/check', async (c) => {
    const id = pathId(c, 'key');
    await keys.ready();
    const key = keys.pool.get(id);
    if (!key) throw new AppError(404, `No key with id ${id}`, 'not_found');
    await health.checkNow(key);
    const counts = await stats.keyCounts();
    return c.json(toKeyView(key, clock.now(), counts.get(key.id)));
  });

  return app;
}
