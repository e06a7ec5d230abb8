import { Hono } from 'hono';
import { toKeyView } from '../keys/key-view';
import { adminAuth } from '../middleware/admin-auth';
import { sessionAlternative } from '../middleware/session';
import type { Services } from '../services';
import { clientKeysRoutes } from './client-keys-routes';
import { keysBulkRoutes } from './keys-bulk-routes';
import { keysRoutes } from './keys-routes';
import { modelToolsRoutes } from './model-tools-routes';
import { modelMapRoutes } from './model-map-routes';
import { settingsRoutes } from './settings-routes';

/** The admin API under `/admin/api`, behind the admin key. */
export function adminRoutes(services: Services): Hono {
  const app = new Hono();
  const authKey = () => services.config.authKey;
  const session = sessionAlternative({ authKey, now: () => services.clock.now() });
  app.use('*', adminAuth({ authKey, alternatives: [session] }));
  // Placeholder until the health checks land: answers the current state without checking.
  app.post('/keys/check', async (c) => {
    await services.keys.ready();
    const now = services.clock.now();
    return c.json({ data: [...services.keys.pool.values()].map((k) => toKeyView(k, now)) });
  });
  app.route('/keys/bulk', keysBulkRoutes(services));
  app.route('/keys', keysRoutes(services));
  app.route('/client-keys', clientKeysRoutes(services));
  app.route('/model-map', modelMapRoutes(services));
  app.route('/settings', settingsRoutes(services));
  app.route('/', modelToolsRoutes(services));
  return app;
}
