import type { ListOptions, ListPage, PutOptions, Store } from '../store/types';
import { validateList, validateName, validatePut } from '../store/validate';
import type { CoordinatorLink } from './coordinator-link';
import type { StoredEntry } from './protocol';

/** Store calls wait this long for the coordinator (they are admin writes and loads, not a request's path). */
const STORE_TIMEOUT_MS = 10_000;

/**
 * A {@link Store} kept by the coordinator: strongly consistent (a read
 * sees every write before it), with an atomic `patch`. Writes made in the
 * same turn of the event loop go as one call (an import of 900 keys is one
 * call, not 900). Every call also brings the changes this isolate missed.
 */
export class CoordinatorStore implements Store {
  private batch: { entries: StoredEntry[]; done: Promise<void> } | null = null;

  constructor(
    private readonly link: CoordinatorLink,
    private readonly now: () => number,
  ) {}

  async get<T = unknown>(name: string): Promise<T | null> {
    validateName('GET', name);
    return (await this.link.send({ store: { op: 'get', name } }, STORE_TIMEOUT_MS)).store as T | null;
  }

  put(name: string, value: unknown, options?: PutOptions): Promise<void> {
    const { json, metaJson, ttlSeconds } = validatePut(name, value, options);
    const entry: StoredEntry = {
      name,
      json,
      metaJson,
      expiresAt: ttlSeconds === null ? null : this.now() + ttlSeconds * 1000,
    };
    if (this.batch) {
      this.batch.entries.push(entry);
      return this.batch.done;
    }
    const entries = [entry];
    const done = Promise.resolve().then(async () => {
      this.batch = null;
      await this.link.send({ store: { op: 'put', entries } }, STORE_TIMEOUT_MS);
    });
    this.batch = { entries, done };
    return done;
  }

  async delete(name: string): Promise<void> {
    validateName('DELETE', name);
    await this.link.send({ store: { op: 'delete', name } }, STORE_TIMEOUT_MS);
  }

  async list<M = unknown>(prefix: string, options?: ListOptions): Promise<ListPage<M>> {
    const { limit, cursor } = validateList(prefix, options);
    const answer = await this.link.send({ store: { op: 'list', prefix, cursor, limit } }, STORE_TIMEOUT_MS);
    return answer.store as ListPage<M>;
  }

  /** Merges `fields` into the stored object in one transaction; null when there is none. */
  async patch<T = unknown>(name: string, fields: Record<string, unknown>): Promise<T | null> {
    validateName('PUT', name);
    return (await this.link.send({ store: { op: 'patch', name, fields } }, STORE_TIMEOUT_MS))
      .store as T | null;
  }
}
