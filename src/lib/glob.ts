/**
 * Minimal glob for model names: `*` matches any run of characters (including
 * `/` and the empty run); every other character is literal and case-sensitive.
 * There is no escaping and no `?`, `[...]` or `**` syntax.
 *
 * Patterns are compiled once and cached (bounded), because matching runs on
 * every request. Matching uses `startsWith`/`indexOf`, never a RegExp, so it
 * is linear in the value's length and cannot backtrack catastrophically.
 */

/** A pattern split on its wildcards, ready to match. */
export interface CompiledGlob {
  readonly pattern: string;
  /** The literal pieces around the wildcards: `wildcards + 1` of them. */
  readonly parts: readonly string[];
  /** How many `*` the pattern holds. */
  readonly wildcards: number;
  /** The literal text before the first `*` (the whole pattern when it has none). */
  readonly prefix: string;
  /** Total length of the literal text. */
  readonly literalLength: number;
}

const CACHE_LIMIT = 1000;
const cache = new Map<string, CompiledGlob>();

/** Compiles a pattern, from the cache when it was seen before. */
export function compileGlob(pattern: string): CompiledGlob {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const parts = pattern.split('*');
  const compiled: CompiledGlob = {
    pattern,
    parts,
    wildcards: parts.length - 1,
    prefix: parts[0],
    literalLength: pattern.length - (parts.length - 1),
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, compiled);
  return compiled;
}

/** Whether the text holds a `*` wildcard. */
export function hasWildcard(text: string): boolean {
  return text.includes('*');
}

/** Number of `*` wildcards in the text. */
export function countWildcards(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === '*') n++;
  return n;
}

/**
 * What each `*` of the pattern matched in the value, in order, or `null` when
 * the value does not match. A pattern without `*` yields `[]` on equality.
 * With several `*`, each one takes the shortest run that lets the rest match,
 * left to right (the last one takes whatever is left before the suffix).
 */
export function globCapture(pattern: string | CompiledGlob, value: string): string[] | null {
  const { parts } = typeof pattern === 'string' ? compileGlob(pattern) : pattern;
  if (parts.length === 1) return value === parts[0] ? [] : null;
  const head = parts[0];
  const tail = parts[parts.length - 1];
  if (value.length < head.length + tail.length) return null;
  if (!value.startsWith(head) || !value.endsWith(tail)) return null;
  const end = value.length - tail.length;
  const captures: string[] = [];
  let pos = head.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const at = value.indexOf(parts[i], pos);
    if (at < 0 || at + parts[i].length > end) return null;
    captures.push(value.slice(pos, at));
    pos = at + parts[i].length;
  }
  captures.push(value.slice(pos, end));
  return captures;
}

/** Whether the value matches the pattern as a whole. */
export function matchGlob(pattern: string | CompiledGlob, value: string): boolean {
  return globCapture(pattern, value) !== null;
}

/**
 * Substitutes captures into the target's `*`, in order: `fillGlob('openai/gpt-4o*', ['-mini'])`
 * is `'openai/gpt-4o-mini'`. Extra captures are ignored; a `*` with no capture left stays a `*`.
 */
export function fillGlob(target: string, captures: readonly string[]): string {
  if (captures.length === 0 || !target.includes('*')) return target;
  let i = 0;
  return target.replace(/\*/g, (star) => (i < captures.length ? captures[i++] : star));
}
