import type { ListOptions, ListPage, PutOptions, Store } from './types';

/**
 * A {@link Store} that sends the names `owns` accepts to `owner` and every
 * other name to `rest`: on Workers with a coordinator, the records that must
 * be the same everywhere go to the coordinator, the stats and the catalogue
 * stay in KV. A listed prefix belongs wholly to one of them.
 */
export class RoutedStore implements Store {
  readonly patch?: Store['patch'];

  constructor(
    private readonly owner: Store,
    private readonly rest: Store,
    private readonly owns: (name: string) => boolean,
  ) {
    if (owner.patch && rest.patch) {
      const [a, b] = [owner.patch.bind(owner), rest.patch.bind(rest)];
      this.patch = (name, fields) => (owns(name) ? a(name, fields) : b(name, fields));
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
