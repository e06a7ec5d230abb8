import { Hono } from 'hono';
import { readJson } from '../lib/read-json';
import type { Services } from '../services';
import { parseSettings } from '../settings/settings';

/** `/admin/api/settings`: strategy, attempts and timeouts, changeable at run time. */
export function settingsRoutes(services: Services): Hono {
  const { settingsStore, config } = services;
  const app = new Hono();

  app.get('/', async (c) => {
    await settingsStore.ready();
    return c.json({ settings: services.settings(), overrides: settingsStore.current });
  });

  app.put('/', async (c) => {
    await settingsStore.ready();
    const { json } = await readJson(c, { maxBytes: config.maxBodyBytes });
    await settingsStore.set(parseSettings(json, settingsStore.current));
    services.keys.pool.setStrategy(services.settings().key_strategy);
    return c.json({ settings: services.settings(), overrides: settingsStore.current });
  });

  return app;
}
