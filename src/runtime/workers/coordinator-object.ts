import { DurableObject } from 'cloudflare:workers';
import { CLIENT_KEY_PREFIX } from '../../client-keys/client-key-record';
import { CoordinatorCore } from '../../coordinator/coordinator-core';
import type { CoordinatorAnswer, CoordinatorRequest, StoredEntry } from '../../coordinator/protocol';
import { KEY_PREFIX, STATE_PREFIX } from '../../keys/key-records';

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
 * keys, settings, model map), so an upgrade loses nothing and needs no step.
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

/** Copies the records the coordinator keeps from KV; what another runtime wrote stays where it was. */
async function importFromKv(core: CoordinatorCore, kv: KVNamespace): Promise<void> {
  const entries: StoredEntry[] = [];
  for (const prefix of [KEY_PREFIX, STATE_PREFIX, CLIENT_KEY_PREFIX]) {
    let cursor: string | undefined;
    do {
      const page = await kv.list({ prefix, cursor });
      for (const key of page.keys) {
        // Records whose whole value is in their metadata need no get; large client keys do.
        const value = key.metadata ?? (await kv.get(key.name, 'json'));
        if (value === null || value === undefined) continue;
        const json = JSON.stringify(value);
        entries.push({
          name: key.name,
          json,
          metaJson: key.metadata ? JSON.stringify(key.metadata) : null,
          expiresAt: null,
        });
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
  }
  for (const name of ['settings', 'modelmap']) {
    const value = await kv.get(name, 'json');
    if (value !== null) entries.push({ name, json: JSON.stringify(value), metaJson: null, expiresAt: null });
  }
  core.putEntries(entries);
}
