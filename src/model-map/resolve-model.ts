import type { CatalogIndex } from './catalog-index';
import { type CompiledModelMap, compileModelMap, matchAlias } from './compile-model-map';
import type { ModelMap } from './model-map';

/** How a name was turned into the id sent upstream. */
export type ResolutionVia =
  | 'alias'
  | 'pattern'
  | 'catalog'
  | 'catalog-normalized'
  | 'passthrough'
  | 'unresolved';

/** The id to send upstream and how it was found. */
export interface Resolution {
  id: string;
  via: ResolutionVia;
  /** Every catalogue id that matched, best first, when a bare name matched more than one. */
  candidates?: string[];
}

const compiledCache = new WeakMap<ModelMap, CompiledModelMap>();

function compiledOf(map: CompiledModelMap | ModelMap): CompiledModelMap {
  if ('exact' in map && map.exact instanceof Map) return map as CompiledModelMap;
  const plain = map as ModelMap;
  let compiled = compiledCache.get(plain);
  if (!compiled) {
    compiled = compileModelMap(plain);
    compiledCache.set(plain, compiled);
  }
  return compiled;
}

/**
 * Turns the model name a client sent into the OpenRouter id to send upstream.
 * The first rule that applies wins:
 *
 * 1. **Exact alias** (`via: 'alias'`): a map name equal to the model name,
 *    case-sensitive, gives its target as written. Applies to any name, with or without `/`.
 * 2. **Pattern alias** (`via: 'pattern'`): names holding `*` (which matches any
 *    run of characters, `/` included) are tried most specific first: longest
 *    literal prefix before the first `*`, then fewest `*`, then most literal
 *    characters, then alphabetically. What each `*` matched fills the target's
 *    `*` in order: `"gpt-4o*": "openai/gpt-4o*"` sends `gpt-4o-mini` to `openai/gpt-4o-mini`.
 *    Alias targets are final: they are not resolved again (no chains).
 * 3. **Passthrough** (`via: 'passthrough'`): a name holding `/` is sent unchanged.
 * 4. **Catalogue, exact** (`via: 'catalog'`): a bare name is looked up among
 *    OpenRouter's catalogue ids; an id ending in `/<name>` exactly wins. A
 *    variant (`:free`, `:beta`, ...) is part of the name: `deepseek-chat:free`
 *    finds `deepseek/deepseek-chat:free`, while `deepseek-chat` only ever finds
 *    `deepseek/deepseek-chat`.
 * 5. **Catalogue, normalised** (`via: 'catalog-normalized'`): first ignoring case
 *    and treating `.`, `-` and `_` as equal (`claude-3-5-sonnet` finds
 *    `anthropic/claude-3.5-sonnet`); then also ignoring one dated, pinned-version
 *    or `-latest` suffix on either side (`-2024-08-06`, `-20241022`, `-08-2024`,
 *    `-05-06`, `-0613`, `-001`), so `gpt-4o-2024-08-06` finds `openai/gpt-4o` when
 *    the dated id is absent, and an exact dated id, when present, wins at step 4.
 *    A trailing routing variant (`:nitro`, `:floor`, `:exacto`, `:online`), which
 *    OpenRouter accepts on any id, is kept: `deepseek-chat:nitro` finds
 *    `deepseek/deepseek-chat:nitro`.
 *    When several ids match at the same step (`mixtral-8x7b-instruct` is both
 *    `mistralai/...` and `nousresearch/...`), the pick is by vendor preference
 *    (`DEFAULT_VENDOR_PREFERENCE` unless the index was built with another list;
 *    unlisted vendors last), then the shorter id, then alphabetical; all matches
 *    are returned in `candidates`, best first.
 * 6. **Unresolved** (`via: 'unresolved'`): no match, or no catalogue loaded: the
 *    name is sent unchanged so OpenRouter gives its own answer.
 *
 * Pass a map compiled with `compileModelMap` on the hot path; a plain `ModelMap`
 * also works and is compiled once per object (cached by identity).
 */
export function resolveModel(
  name: string,
  map: CompiledModelMap | ModelMap,
  index: CatalogIndex | null,
): Resolution {
  const alias = matchAlias(compiledOf(map), name);
  if (alias) return { id: alias.id, via: alias.via };
  if (name.includes('/')) return { id: name, via: 'passthrough' };
  const match = index?.lookup(name);
  if (!match) return { id: name, via: 'unresolved' };
  return match.candidates
    ? { id: match.id, via: match.via, candidates: match.candidates }
    : { id: match.id, via: match.via };
}

/** Resolves each name of a request's `models` fallback array, in order. */
export function resolveModels(
  names: readonly string[],
  map: CompiledModelMap | ModelMap,
  index: CatalogIndex | null,
): Resolution[] {
  const compiled = compiledOf(map);
  return names.map((name) => resolveModel(name, compiled, index));
}
