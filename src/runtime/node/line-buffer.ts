const SLAB_BYTES = 64 * 1024;

/**
 * Log lines encoded into a slab as they come: each line is fresh in memory
 * when it is encoded, where encoding a whole batch at the end walks a long
 * chain of joined strings. `take()` hands the bytes over and the next lines
 * go after them, so bytes handed over are never written again.
 */
export class LineBuffer {
  private slab = Buffer.allocUnsafe(SLAB_BYTES);
  private start = 0;
  private used = 0;

  get isEmpty(): boolean {
    return this.used === this.start;
  }

  /** Bytes added since the last take. */
  get size(): number {
    return this.used - this.start;
  }

  /** Adds `text`, and a newline after it when `newline` is set. */
  add(text: string, newline = false): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const most = text.length * 3 + 1;
    if (this.used + most > this.slab.length) this.renew(most);
    this.used += this.slab.write(text, this.used);
    if (newline) this.slab[this.used++] = 0x0a;
  }

  /** The bytes added since the last take, or null. */
  take(): Buffer | null {
    if (this.isEmpty) return null;
    const bytes = this.slab.subarray(this.start, this.used);
    this.start = this.used;
    return bytes;
  }

  private renew(atLeast: number): void {
    const pending = this.slab.subarray(this.start, this.used);
    const next = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * (pending.length + atLeast)));
    pending.copy(next);
    this.slab = next;
    this.start = 0;
    this.used = pending.length;
  }
}
