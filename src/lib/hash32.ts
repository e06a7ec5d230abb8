/**
 * A small, fast, deterministic 32-bit string hash (MurmurHash3's block mixing over
 * pairs of UTF-16 code units, and its avalanche step), the same on every runtime and
 * in every isolate. Not for secrets: for spreading things evenly and stably.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Mixes one 32-bit block into the state `h`. */
function mix(h: number, block: number): number {
  let k = Math.imul(block, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  const x = h ^ k;
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64) | 0;
}

/** An incremental hash: feed it strings and numbers, then read {@link Hash32.digest}. */
export class Hash32 {
  private h: number;

  constructor(seed = 0) {
    this.h = seed | 0;
  }

  /** Feeds the code units of `text` from `start` to `end` (exclusive), two at a time. */
  text(text: string, start = 0, end = text.length): this {
    let h = this.h;
    let i = start;
    for (; i + 1 < end; i += 2) h = mix(h, text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
    if (i < end) h = mix(h, text.charCodeAt(i) | 0x10000);
    this.h = h;
    return this;
  }

  /** Feeds a 32-bit integer (a length, a separator). */
  int(value: number): this {
    this.h = mix(this.h, value);
    return this;
  }

  /** The hash, 0 to 2^32 - 1. */
  digest(): number {
    return fmix32(this.h);
  }
}

/** The hash of one string under `seed`. */
export function hash32(text: string, seed = 0): number {
  return new Hash32(seed).text(text).digest();
}

/** MurmurHash3's finalizer: every input bit moves every output bit. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
