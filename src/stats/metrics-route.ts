import { Hono } from 'hono';
import { AppError, errorResponse } from '../errors';
import { adminAuth } from '../middleware/admin-auth';
import type { Services } from '../services';
import { renderMetrics } from './metrics';

/** `GET /metrics` (Prometheus text), behind the admin key unless METRICS_PUBLIC is true. */
export function metricsRoute(services: Services): Hono {
  const app = new Hono();
  const startedAt = services.clock.now();
  app.onError((err) =>
    errorResponse(
      err instanceof AppError ? err : new AppError(500, 'Internal error in CloudRouter', 'internal_error'),
    ),
  );
  if (!services.config.metricsPublic) app.use('*', adminAuth({ access: services.adminAccess }));
  app.get('/metrics', (c) => {
    const body = renderMetrics({
      lifetime: services.stats.recorder.lifetime,
      keys: services.keys.pool.counts(services.clock.now()),
      startedAt,
    });
    return c.body(body, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return app;
}

/** Whether a request URL's path is `/metrics` (cheap: no URL parsing on the proxy's hot path). */
export function isMetricsUrl(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0 || !url.startsWith('/metrics', start)) return false;
  const end = start + 8;
  return url.length === end || url[end] === '?';
}
