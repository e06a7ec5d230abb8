import { Hono } from 'hono';
import { adminAuth } from '../middleware/admin-auth';
import type { Services } from '../services';
import { clientKeysRoutes } from './client-keys-routes';
import { keysRoutes } from './keys-routes';
import { modelMapRoutes } from './model-map-routes';
import { settingsRoutes } from './settings-routes';
import { toKeyView } from '../keys/key-view';

/** The admin API under `/admin/api`, behind the admin key. */
export function adminRoutes(services: Services): Hono {
  const app = new Hono();
  app.use('*', adminAuth({ authKey: () => services.config.authKey }));
  // Placeholder until the health checks land: answers the current state without checking.
  app.post('/keys/check', async (c) => {
    await services.keys.ready();
    const now = services.clock.now();
    return c.json({ data: [...services.keys.pool.values()].map((k) => toKeyView(k, now)) });
  });
  app.route('/keys', keysRoutes(services));
  app.route('/client-keys', clientKeysRoutes(services));
  app.route('/model-map', modelMapRoutes(services));
  app.route('/settings', settingsRoutes(services));
  return app;
}
