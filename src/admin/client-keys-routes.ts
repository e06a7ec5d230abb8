import { Hono } from 'hono';
import { parseClientKeyChange, toClientKeyView } from '../client-keys/client-key-record';
import { AppError } from '../errors';
import { readJson } from '../lib/read-json';
import type { Services } from '../services';

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

  app.get('/', async (c) => c.json({ data: (await clientKeys.list()).map(toClientKeyView) }));

  app.get('/:id', async (c) => {
    const record = await clientKeys.get(c.req.param('id'));
    if (!record) throw notFound(c.req.param('id'));
    return c.json(toClientKeyView(record));
  });

  app.patch('/:id', async (c) => {
    const { json } = await readJson(c, limit);
    const record = await clientKeys.update(c.req.param('id'), parseClientKeyChange(json, false));
    return c.json(toClientKeyView(record));
  });

  app.delete('/:id', async (c) => {
    if (!(await clientKeys.remove(c.req.param('id')))) throw notFound(c.req.param('id'));
    return c.body(null, 204);
  });

  return app;
}

function notFound(id: string): AppError {
  return new AppError(404, `No client key with id ${id}`, 'not_found');
}
