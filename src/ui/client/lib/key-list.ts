/**
 * The keys in pasted text: one per line, or separated by commas, semicolons
 * or spaces; quotes around a key are dropped; repeats are counted, not kept.
 */
export function parseKeyList(text: string): { keys: string[]; repeats: number } {
  const seen = new Set<string>();
  let repeats = 0;
  for (const raw of text.split(/[\s,;]+/)) {
    const key = raw.replace(/^["'`]+|["'`]+$/g, '');
    if (!key) continue;
    if (seen.has(key)) repeats++;
    else seen.add(key);
  }
  return { keys: [...seen], repeats };
}

/** `items` cut into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
