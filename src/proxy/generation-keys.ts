/**
 * Which pool key served each recent generation (OpenRouter's `X-Generation-Id`),
 * so that `GET /v1/generation?id=` asks the account that owns it. Bounded: the
 * oldest ids are forgotten first. In memory only: another process (or, on
 * Workers, another isolate) does not know an id, and the lookup then tries keys.
 *
 * Two generations of half the capacity each: when the newer is full it becomes
 * the older and the older is dropped whole. Deleting a Map's oldest entry one
 * by one costs more with every id (its iterator walks the holes deletions
 * leave), on every proxied request.
 */
export class GenerationKeys {
  private recent = new Map<string, string>();
  private older = new Map<string, string>();
  private readonly half: number;

  /** Remembers at least the last `capacity / 2` ids and at most `capacity`. */
  constructor(capacity = 4096) {
    this.half = Math.max(1, Math.ceil(capacity / 2));
  }

  /** Remembers that `keyId` served generation `id`. */
  remember(id: string, keyId: string): void {
    if (id.length > 200) return;
    this.recent.set(id, keyId);
    if (this.recent.size >= this.half) {
      this.older = this.recent;
      this.recent = new Map();
    }
  }

  /** The key that served generation `id`, if it is remembered. */
  keyOf(id: string): string | undefined {
    return this.recent.get(id) ?? this.older.get(id);
  }

  get size(): number {
    return this.recent.size + this.older.size;
  }
}
