import { Hono } from 'hono';
import {
  type ClientKeyRecord,
  parseClientKeyChange,
  toClientKeyView,
} from '../client-keys/client-key-record';
import { AppError } from '../errors';
import { readJson } from '../lib/read-json';
import type { Services } from '../services';
import { pathId } from './path-id';

/** `/admin/api/client-keys`: the keys clients use to reach the proxy. */
export function clientKeysRoutes(services: Services): Hono {
  const { clientKeys, config } = services;
  const app = new Hono();
  const limit = { maxBytes: config.maxBodyBytes };

  app.post('/', async (c) => {
    const { json } = await readJson(c, limit);
    const { record, key } = await clientKeys.create(parseClientKeyChange(json, true));
    return c.json({ ...toClientKeyView(record), key }, 201);
  });

  // Each view carries `usage: {today, month}` (requests, tokens, cost): the numbers the spending cap uses.
  const withUsage = (record: ClientKeyRecord) => ({
    ...toClientKeyView(record),
    usage: services.stats.clientUsage(record.id),
  });

  app.get('/', async (c) => {
    const [records] = await Promise.all([clientKeys.list(), services.stats.usageReady()]);
    return c.json({ data: records.map(withUsage) });
  });

  app.get('/:id', async (c) => {
    const id = pathId(c, 'client key');
    const [record] = await Promise.all([clientKeys.get(id), services.stats.usageReady()]);
    if (!record) throw notFound(id);
    return c.json(withUsage(record));
  });

  app.patch('/:id', async (c) => {
    const id = pathId(c, 'client key');
    const { json } = await readJson(c, limit);
    const record = await clientKeys.update(id, parseClientKeyChange(json, false));
    return c.json(toClientKeyView(record));
  });

  app.delete('/:id', async (c) => {
    const id = pathId(c, 'client key');
    if (!(await clientKeys.remove(id))) throw notFound(id);
    return c.body(null, 204);
  });

  return app;
}

function notFound(id: string): AppError {
  return new AppError(404, `No client key with id ${id}`, 'not_found');
}
