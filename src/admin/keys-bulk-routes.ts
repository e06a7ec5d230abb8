import { Hono } from 'hono';
import { type KeyView, toKeyView } from '../keys/key-view';
import { bad, expectObject } from '../lib/body-check';
import { readJson } from '../lib/read-json';
import type { Services } from '../services';

/** Most ids one bulk call takes: deleting one key is two store operations (plus one `keys:v` write per call), and a Worker invocation may make 1,000. */
export const MAX_BULK = 400;

const ACTIONS = ['enable', 'disable', 'delete', 'check'] as const;
type BulkAction = (typeof ACTIONS)[number];

/**
 * `POST /admin/api/keys/bulk` `{"ids": [...], "action": "enable"|"disable"|"delete"|"check"}`:
 * one action on many keys. Answers 200 `{action, done, missing, remaining, data}`: `done` keys
 * acted on, `missing` ids unknown, `remaining` the last known ids not checked yet (a Worker checks
 * at most HEALTH_CHECK_BATCH per call: send those again), `data` the views of the keys still in
 * the pool (empty after a delete).
 */
export function keysBulkRoutes(services: Services): Hono {
  const { keys, clock, config } = services;
  const app = new Hono();

  app.post('/', async (c) => {
    const { json } = await readJson(c, { maxBytes: config.maxBodyBytes });
    const { ids, action } = parseBulk(json);
    await keys.ready();
    const known = ids.filter((id) => keys.pool.get(id));
    let done = known.length;
    let remaining = 0;
    // One change of many keys: other isolates hear of it through one write of `keys:v`.
    if (action === 'delete') await keys.removeMany(known);
    else if (action === 'check') ({ checked: done, remaining } = await services.checkKeys(known));
    else await keys.updateMany(known, { enabled: action === 'enable' });
    const data: KeyView[] = [];
    if (action !== 'delete') {
      const counts = await services.stats.keyCounts();
      const now = clock.now();
      for (const id of known) {
        const key = keys.pool.get(id);
        if (key) data.push(toKeyView(key, now, counts.get(id)));
      }
    }
    return c.json({ action, done, missing: ids.length - known.length, remaining, data });
  });

  return app;
}

function parseBulk(json: unknown): { ids: string[]; action: BulkAction } {
  const body = expectObject(json, ['ids', 'action']);
  if (!ACTIONS.includes(body.action as BulkAction))
    throw bad(`"action" must be one of ${ACTIONS.join(', ')}`);
  if (!Array.isArray(body.ids)) throw bad('"ids" must be an array of key ids');
  if (body.ids.length > MAX_BULK) throw bad(`at most ${MAX_BULK} ids per call; got ${body.ids.length}`);
  if (!body.ids.every((id) => typeof id === 'string' && id.length <= 64))
    throw bad('"ids" must hold key ids');
  return { ids: [...new Set(body.ids as string[])], action: body.action as BulkAction };
}
