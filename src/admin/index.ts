import { Hono } from 'hono';
import { checkRoutes } from '../health/check-routes';
import { adminAuth } from '../middleware/admin-auth';
import { sessionAlternative } from '../middleware/session';
import type { Services } from '../services';
import { alertsRoutes } from './alerts-routes';
import { clientKeysRoutes } from './client-keys-routes';
import { keysBulkRoutes } from './keys-bulk-routes';
import { keysRoutes } from './keys-routes';
import { logsRoutes } from './logs-routes';
import { modelMapRoutes } from './model-map-routes';
import { modelToolsRoutes } from './model-tools-routes';
import { settingsRoutes } from './settings-routes';
import { statsRoutes } from './stats-routes';

/** The admin API under `/admin/api`, behind the admin key. */
export function adminRoutes(services: Services): Hono {
  const app = new Hono();
  const access = services.adminAccess;
  app.use('*', adminAuth({ access, alternatives: [sessionAlternative(access)] }));
  // With a coordinator, the admin sees what every isolate changed: one sync before each call.
  app.use('*', async (_c, next) => {
    await services.synced();
    await next();
  });
  app.route('/keys', checkRoutes(services));
  app.route('/stats', statsRoutes(services));
  app.route('/logs', logsRoutes(services));
  app.route('/keys/bulk', keysBulkRoutes(services));
  app.route('/keys', keysRoutes(services));
  app.route('/client-keys', clientKeysRoutes(services));
  app.route('/model-map', modelMapRoutes(services));
  app.route('/settings', settingsRoutes(services));
  app.route('/alerts', alertsRoutes(services));
  app.route('/', modelToolsRoutes(services));
  return app;
}
