import { type CompiledGlob, compileGlob, fillGlob, globCapture } from '../lib/glob';
import type { ModelMap } from './model-map';

/** One `*` alias, ready to match. */
export interface CompiledPattern {
  readonly name: string;
  readonly target: string;
  readonly glob: CompiledGlob;
}

/** What an alias made of a name. */
export interface AliasHit {
  id: string;
  via: 'alias' | 'pattern';
}

/** A model map prepared for per-request use; build it once per map version. */
export interface CompiledModelMap {
  readonly source: ModelMap;
  /** Aliases without `*`, by name. */
  readonly exact: ReadonlyMap<string, string>;
  /** Aliases with `*`, most specific first (see {@link comparePatterns}). */
  readonly patterns: readonly CompiledPattern[];
  /**
   * The same patterns grouped by literal prefix, longest prefix length first:
   * a name only tries the patterns whose prefix it starts with, in the same order.
   */
  readonly groups: readonly PrefixGroup[];
}

/** Patterns whose literal prefix has one length, by prefix. */
export interface PrefixGroup {
  readonly length: number;
  readonly byPrefix: ReadonlyMap<string, readonly CompiledPattern[]>;
}

function groupByPrefix(sorted: readonly CompiledPattern[]): PrefixGroup[] {
  const groups: Array<{ length: number; byPrefix: Map<string, CompiledPattern[]> }> = [];
  for (const pattern of sorted) {
    const { prefix } = pattern.glob;
    let group = groups[groups.length - 1];
    if (!group || group.length !== prefix.length) {
      group = { length: prefix.length, byPrefix: new Map() };
      groups.push(group);
    }
    const list = group.byPrefix.get(prefix);
    if (list) list.push(pattern);
    else group.byPrefix.set(prefix, [pattern]);
  }
  return groups;
}

/**
 * Specificity order of pattern aliases: longer literal prefix (text before the
 * first `*`) first; then fewer `*`; then more literal characters in all; then
 * the name, alphabetically, so the order never depends on insertion order.
 */
export function comparePatterns(a: CompiledPattern, b: CompiledPattern): number {
  return (
    b.glob.prefix.length - a.glob.prefix.length ||
    a.glob.wildcards - b.glob.wildcards ||
    b.glob.literalLength - a.glob.literalLength ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** Splits a (validated) map into an exact-name table and a sorted pattern list. */
export function compileModelMap(map: ModelMap): CompiledModelMap {
  const exact = new Map<string, string>();
  const patterns: CompiledPattern[] = [];
  for (const [name, target] of Object.entries(map.aliases)) {
    if (name.includes('*')) patterns.push({ name, target, glob: compileGlob(name) });
    else exact.set(name, target);
  }
  patterns.sort(comparePatterns);
  return { source: map, exact, patterns, groups: groupByPrefix(patterns) };
}

/** The alias that applies to a name, exact names before patterns, or `null`. */
export function matchAlias(compiled: CompiledModelMap, name: string): AliasHit | null {
  const target = compiled.exact.get(name);
  if (target !== undefined) return { id: target, via: 'alias' };
  for (const group of compiled.groups) {
    if (group.length > name.length) continue;
    const candidates = group.byPrefix.get(name.slice(0, group.length));
    if (!candidates) continue;
    for (const pattern of candidates) {
      const captures = globCapture(pattern.glob, name);
      if (captures) return { id: fillGlob(pattern.target, captures), via: 'pattern' };
    }
  }
  return null;
}
