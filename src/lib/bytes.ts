/** Byte searches for the hot path: no decoding, no copies (Workers have no `Buffer`). */

/** The first index of `needle` in `hay[from, to)`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0, to = hay.length): number {
  const first = needle[0];
  const last = Math.min(to, hay.length) - needle.length;
  outer: for (let i = Math.max(0, from); i <= last; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
