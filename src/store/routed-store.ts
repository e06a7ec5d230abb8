import { type ListOptions, type ListPage, type PutOptions, patchStored, type Store } from './types';

/**
 * A {@link Store} that sends the names `owns` accepts to `owner` and every
 * other name to `rest`: on Workers with a coordinator, the records that must
 * be the same everywhere go to the coordinator, the stats and the catalogue
 * stay in KV. A listed prefix belongs wholly to one of them.
 */
export class RoutedStore implements Store {
  /**
   * Atomic for the owner's names when the owner patches atomically (the coordinator does; KV
   * does not): a name of `rest` is patched as `rest` can ({@link patchStored}). Without it every
   * patch would be a read, merge and write in the isolate, and two isolates patching one key
   * record at once would lose one of the changes.
   */
  readonly patch?: Store['patch'];

  constructor(
    private readonly owner: Store,
    private readonly rest: Store,
    private readonly owns: (name: string) => boolean,
  ) {
    if (owner.patch) {
      const patch = owner.patch.bind(owner);
      this.patch = <T>(name: string, fields: Record<string, unknown>) =>
        owns(name) ? patch<T>(name, fields) : (patchStored(rest, name, fields) as Promise<T | null>);
    }
  }

  private of(name: string): Store {
    return this.owns(name) ? this.owner : this.rest;
  }

  get<T = unknown>(name: string): Promise<T | null> {
    return this.of(name).get<T>(name);
  }

  put(name: string, value: unknown, options?: PutOptions): Promise<void> {
    return this.of(name).put(name, value, options);
  }

  delete(name: string): Promise<void> {
    return this.of(name).delete(name);
  }

  list<M = unknown>(prefix: string, options?: ListOptions): Promise<ListPage<M>> {
    return this.of(prefix).list<M>(prefix, options);
  }
}
