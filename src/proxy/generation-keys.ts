/**
 * Which pool key served each recent generation (OpenRouter's `X-Generation-Id`),
 * so that `GET /v1/generation?id=` asks the account that owns it. Bounded: the
 * oldest ids are forgotten first. In memory only: another process (or, on
 * Workers, another isolate) does not know an id, and the lookup then tries keys.
 */
export class GenerationKeys {
  private readonly keys = new Map<string, string>();

  constructor(private readonly capacity = 4096) {}

  /** Remembers that `keyId` served generation `id`. */
  remember(id: string, keyId: string): void {
    if (id.length > 200) return;
    this.keys.delete(id);
    this.keys.set(id, keyId);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.keys().next().value as string);
  }

  /** The key that served generation `id`, if it is remembered. */
  keyOf(id: string): string | undefined {
    return this.keys.get(id);
  }

  get size(): number {
    return this.keys.size;
  }
}
