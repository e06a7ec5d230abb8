import { Hono } from 'hono';
import { AppError, isRecord } from '../errors';
import { sortImport } from '../keys/key-format';
import type { PoolKey } from '../keys/key-pool';
import { toKeyView } from '../keys/key-view';
import { bad, expectObject, optBool, optString } from '../lib/body-check';
import { readJson } from '../lib/read-json';
import { CHECKS_PER_INVOCATION, type Services } from '../services';
import { parseKeyQuery, queryKeys } from './key-query';
import { pathId } from './path-id';

/** Most keys one import takes. */
export const MAX_IMPORT = 20_000;

/**
 * Most new keys one import takes on Workers, where an invocation may make at
 * most 1,000 KV operations (one write per key): larger pastes go in chunks.
 */
export const MAX_IMPORT_WORKERS = 900;

/** `/admin/api/keys`: the pool of upstream keys. */
export function keysRoutes(services: Services): Hono {
  const { keys, clock, config } = services;
  const app = new Hono();
  const limit = { maxBytes: Math.max(config.maxBodyBytes, MAX_IMPORT * 256) };

  app.post('/', async (c) => {
    const { json } = await readJson(c, limit);
    const { secrets, label } = parseImport(json);
    const max = services.deps.runtime === 'workers' ? MAX_IMPORT_WORKERS : MAX_IMPORT;
    if (secrets.length > max) {
      throw bad(
        `at most ${max} keys per call on this runtime (KV allows 1,000 operations per request); got ${secrets.length}: send them in chunks`,
      );
    }
    // Malformed keys are reported (by index, with the reason, never the key); the rest go in.
    const { accepted, rejected } = sortImport(secrets);
    const { added, skipped } = await keys.importKeys(accepted, label);
    checkOnArrival(services, added, (task) => {
      try {
        c.executionCtx.waitUntil(task);
      } catch {
        // Node has no execution context: the task runs anyway.
      }
    });
    const now = clock.now();
    return c.json({ added: added.map((k) => toKeyView(k, now)), skipped, rejected }, 201);
  });

  app.get('/', async (c) => {
    // With any of offset, limit, q, status, sort, fields: one page, plus `total`, `counts` and `credit`.
    const query = parseKeyQuery((name) => c.req.query(name));
    await keys.ready();
    const counts = await services.stats.keyCounts();
    const now = clock.now();
    const data = [...keys.pool.values()]
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((k) => toKeyView(k, now, counts.get(k.id)));
    return c.json(query ? queryKeys(data, query) : { data });
  });

  app.patch('/:id', async (c) => {
    const id = pathId(c, 'key');
    const { json } = await readJson(c, limit);
    const body = expectObject(json, ['enabled', 'label']);
    const change = { enabled: optBool(body, 'enabled'), label: optString(body, 'label', 200) };
    const key = await keys.update(id, dropUndefined(change));
    if (!key) throw notFound(id);
    return c.json(toKeyView(key, clock.now()));
  });

  app.delete('/:id', async (c) => {
    const id = pathId(c, 'key');
    if (!(await keys.remove(id))) throw notFound(id);
    return c.body(null, 204);
  });

  return app;
}

/** KV operations one Workers import may leave to the arrival checks' state writes. */
const WORKERS_KV_ROOM = 950;

/**
 * New keys get their `GET /key` check soon after the import, in the
 * background, so a pasted list of dead keys is sorted out before traffic
 * meets it. On Workers at most {@link CHECKS_PER_INVOCATION} of them (and
 * fewer after a large import, within KV's 1,000 operations): the cron's runs
 * check the rest, never-checked keys first.
 */
function checkOnArrival(
  services: Services,
  added: readonly PoolKey[],
  waitUntil: (task: Promise<unknown>) => void,
): void {
  if (added.length === 0) return;
  const room =
    services.deps.runtime === 'workers'
      ? Math.min(CHECKS_PER_INVOCATION, Math.max(0, WORKERS_KV_ROOM - added.length))
      : added.length;
  if (room > 0)
    services.checkSoon(
      { waitUntil },
      added.slice(0, room).map((key) => key.id),
    );
}

function parseImport(json: unknown): { secrets: string[]; label: string } {
  const shape = 'the body must be {"keys": ["sk-or-...", ...], "label"?: "..."}';
  if (!isRecord(json)) throw bad(`${shape}; got ${Array.isArray(json) ? 'an array' : typeof json}`);
  if (!Array.isArray(json.keys)) {
    throw bad(
      `"keys" must be an array of strings; ${'keys' in json ? `got ${typeof json.keys}` : 'it is missing'}`,
    );
  }
  const body = expectObject(json, ['keys', 'label']);
  const list = body.keys as unknown[];
  if (list.length > MAX_IMPORT) throw bad(`at most ${MAX_IMPORT} keys per call; got ${list.length}`);
  const secrets = list.map((item, i) => {
    if (typeof item !== 'string') throw bad(`"keys[${i}]" must be a string`);
    return item;
  });
  return { secrets, label: optString(body, 'label', 200) ?? '' };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function notFound(id: string): AppError {
  return new AppError(404, `No key with id ${id}`, 'not_found');
}
