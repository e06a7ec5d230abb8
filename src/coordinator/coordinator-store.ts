import type { ListOptions, ListPage, PutOptions, Store } from '../store/types';
import { validateList, validateName, validatePut } from '../store/validate';
import type { CoordinatorLink } from './coordinator-link';
import type { CoordinatorRequest, StoredEntry } from './protocol';

/** Writes wait this long for the coordinator (admin writes, key states, stats: never a request's answer). */
const WRITE_TIMEOUT_MS = 10_000;
/**
 * Reads wait this long: they are first loads (an isolate that has nothing in memory yet) and admin
 * views; an isolate that has synced reads nothing on a request's path.
 */
const READ_TIMEOUT_MS = 1000;
/** Most names one batched read asks for (its answer stays small). */
const GETS_PER_CALL = 100;

/**
 * A {@link Store} kept by the coordinator: strongly consistent (a read
 * sees every write before it), with an atomic `patch`. Writes made in the
 * same turn of the event loop go as one call (an import of 900 keys is one
 * call, not 900). Every call also brings the changes this isolate missed.
 * Reads wait up to 1 s, writes 10 s; a call that fails marks the
 * coordinator down for the request path (CoordinatorLink).
 */
export class CoordinatorStore implements Store {
  private batch: { entries: StoredEntry[]; done: Promise<void> } | null = null;
  private reads: { names: string[]; done: Promise<unknown[]> } | null = null;

  constructor(
    private readonly link: CoordinatorLink,
    private readonly now: () => number,
  ) {}

  /** Reads made in the same turn go as one call (a roll-up's buckets, the stats page's). */
  get<T = unknown>(name: string): Promise<T | null> {
    validateName('GET', name);
    if (!this.reads) {
      const batch: { names: string[]; done: Promise<unknown[]> } = {
        names: [],
        done: Promise.resolve().then(() => {
          this.reads = null;
          return this.readAll(batch.names);
        }),
      };
      this.reads = batch;
    }
    const batch = this.reads;
    const at = batch.names.push(name) - 1;
    return batch.done.then((values) => values[at] as T | null);
  }

  private async readAll(names: string[]): Promise<unknown[]> {
    if (names.length === 1) return [(await this.read({ store: { op: 'get', name: names[0] } })).store];
    const parts: Promise<unknown[]>[] = [];
    for (let i = 0; i < names.length; i += GETS_PER_CALL) {
      const chunk = names.slice(i, i + GETS_PER_CALL);
      parts.push(this.read({ store: { op: 'gets', names: chunk } }).then((a) => a.store as unknown[]));
    }
    return (await Promise.all(parts)).flat();
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
      await this.link.send({ store: { op: 'put', entries } }, WRITE_TIMEOUT_MS);
    });
    this.batch = { entries, done };
    return done;
  }

  async delete(name: string): Promise<void> {
    validateName('DELETE', name);
    await this.link.send({ store: { op: 'delete', name } }, WRITE_TIMEOUT_MS);
  }

  async list<M = unknown>(prefix: string, options?: ListOptions): Promise<ListPage<M>> {
    const { limit, cursor } = validateList(prefix, options);
    const answer = await this.read({ store: { op: 'list', prefix, cursor, limit } });
    return answer.store as ListPage<M>;
  }

  private read(request: CoordinatorRequest) {
    return this.link.send(request, READ_TIMEOUT_MS);
  }

  /** Merges `fields` into the stored object in one transaction; null when there is none. */
  async patch<T = unknown>(name: string, fields: Record<string, unknown>): Promise<T | null> {
    validateName('PUT', name);
    return (await this.link.send({ store: { op: 'patch', name, fields } }, WRITE_TIMEOUT_MS))
      .store as T | null;
  }
}
