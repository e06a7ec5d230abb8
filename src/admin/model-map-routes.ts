import { Hono } from 'hono';
import { AppError } from '../errors';
import { readJson } from '../lib/read-json';
import { parseModelMap } from '../model-map/model-map';
import type { Services } from '../services';

/** `/admin/api/model-map`: the alias table. */
export function modelMapRoutes(services: Services): Hono {
  const { modelMap, config } = services;
  const app = new Hono();

  app.get('/', async (c) => {
    await modelMap.ready();
    return c.json(modelMap.current);
  });

  app.put('/', async (c) => {
    const { json } = await readJson(c, { maxBytes: config.maxBodyBytes });
    const parsed = parseModelMap(json);
    if (!parsed.ok) throw new AppError(400, parsed.error, 'invalid_model_map');
    await modelMap.set(parsed.map);
    return c.json(parsed.map);
  });

  return app;
}
