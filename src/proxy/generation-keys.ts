/**
 * Which pool key served each recent generation (OpenRouter's `X-Generation-Id`),
 * so that `GET /v1/generation?id=` asks the account that owns it. Bounded: the
 * last `capacity` ids are kept, the oldest overwritten first. In memory only:
 * another process (or, on Workers, another isolate) does not know an id, and
 * the lookup then tries keys.
 *
 * A ring of two arrays: every proxied request remembers an id and few are ever
 * looked up, so remembering is two stores (a Map insert hashes a fresh string:
 * some 60 ns against 5) and a lookup walks the ring from the newest id (some
 * 20 µs at 4,096, beside the upstream call that follows it).
 */
export class GenerationKeys {
  private readonly ids: string[];
  private readonly keyIds: string[];
  /** Where the next id goes. */
  private next = 0;
  private count = 0;

  constructor(private readonly capacity = 4096) {
    this.ids = new Array<string>(capacity).fill('');
    this.keyIds = new Array<string>(capacity).fill('');
  }

  /** Remembers that `keyId` served generation `id`. */
  remember(id: string, keyId: string): void {
    if (id.length > 200 || id === '') return;
    this.ids[this.next] = id;
    this.keyIds[this.next] = keyId;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.count < this.capacity) this.count++;
  }

  /** The key that last served generation `id`, if it is remembered. */
  keyOf(id: string): string | undefined {
    for (let n = 0, at = this.next; n < this.count; n++) {
      at = at === 0 ? this.capacity - 1 : at - 1;
      if (this.ids[at] === id) return this.keyIds[at];
    }
    return undefined;
  }

  get size(): number {
    return this.count;
  }
}
