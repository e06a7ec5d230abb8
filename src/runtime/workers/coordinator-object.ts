import { DurableObject } from 'cloudflare:workers';
import { CLIENT_KEY_PREFIX } from '../../client-keys/client-key-record';
import { CoordinatorCore } from '../../coordinator/coordinator-core';
import type { CoordinatorAnswer, CoordinatorRequest, StoredEntry } from '../../coordinator/protocol';
import { KEY_PREFIX, STATE_PREFIX } from '../../keys/key-records';
import { BUCKET_PREFIX, HOUR_MS, HOUR_PREFIX, parseBucketName, USAGE_NAME } from '../../stats/stats-names';

/** The bindings the coordinator reads: the KV namespace it takes over on its first start. */
export interface CoordinatorEnv {
  ROUTER_KV?: KVNamespace;
}

/** The Durable Object's name: one coordinator per deployment. */
export const COORDINATOR_NAME = 'cloudrouter';

const IMPORTED = 'kv-imported';

/**
 * The coordinator of a Workers deployment: one SQLite-backed Durable Object
 * (wrangler.jsonc: `new_sqlite_classes`) that every isolate calls. The logic
 * is `CoordinatorCore`; this class gives it SQLite, and on its first start
 * copies an existing deployment's records from KV (keys, key states, client
 * keys, settings, model map, stats), so an upgrade loses nothing and needs no step.
 */
export class Coordinator extends DurableObject<CoordinatorEnv> {
  private core!: CoordinatorCore;

  constructor(ctx: DurableObjectState, env: CoordinatorEnv) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.core = new CoordinatorCore({ sql: ctx.storage.sql, now: () => Date.now() });
      if (this.core.fact(IMPORTED) === null) {
        if (env.ROUTER_KV) await importFromKv(this.core, env.ROUTER_KV);
        this.core.setFact(IMPORTED, new Date().toISOString());
      }
    });
  }

  /** One call of an isolate (RPC). */
  handle(request: CoordinatorRequest): CoordinatorAnswer {
    return this.core.handle(request);
  }
}

/** KV reads one import may make (an invocation may make 1,000 KV operations on the free plan). */
const IMPORT_GETS = 900;

/**
 * Copies what the coordinator keeps from KV: keys, key states and client keys (their listings carry
 * them), settings, model map, the usage roll-up (`stu`), the hourly stats (`sth:`) and the 5-minute
 * buckets not rolled up yet (`st5:` from the hour before `stu.through`). KV keeps its copy.
 */
async function importFromKv(core: CoordinatorCore, kv: KVNamespace): Promise<void> {
  const entries: StoredEntry[] = [];
  let gets = 0;
  let skipped = 0;
  const take = (name: string, value: unknown, meta: unknown, expiration: number | undefined) => {
    if (value === null || value === undefined) return;
    entries.push({
      name,
      json: JSON.stringify(value),
      metaJson: meta ? JSON.stringify(meta) : null,
      expiresAt: expiration ? expiration * 1000 : null,
    });
  };
  const get = async (name: string) => {
    if (gets >= IMPORT_GETS) {
      skipped++;
      return null;
    }
    gets++;
    return kv.get(name, 'json');
  };
  for (const name of ['settings', 'modelmap', USAGE_NAME]) take(name, await get(name), null, undefined);
  const usage = entries.find((e) => e.name === USAGE_NAME);
  const through = usage ? Number((JSON.parse(usage.json) as { through?: number }).through ?? 0) : 0;
  for (const prefix of [KEY_PREFIX, STATE_PREFIX, CLIENT_KEY_PREFIX, HOUR_PREFIX, BUCKET_PREFIX]) {
    let cursor: string | undefined;
    do {
      const page = await kv.list({ prefix, cursor });
      for (const key of page.keys) {
        if (prefix === BUCKET_PREFIX && (parseBucketName(key.name)?.hour ?? 0) < through - HOUR_MS) continue;
        // Records whose whole value is in their metadata need no get; large client keys and stats do.
        const value = key.metadata ?? (await get(key.name));
        take(key.name, value, key.metadata, key.expiration);
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
  }
  core.putEntries(entries);
  if (skipped)
    console.log(JSON.stringify({ level: 'warn', message: 'KV import: records left out', skipped }));
}
