import { looseKey, slugOf, splitRoutingVariant, stemKey, vendorOf } from './model-name';

/**
 * Vendors preferred when a bare name matches several catalogue ids: model
 * makers first, in rough order of how often clients mean them; vendors not
 * listed come after all listed ones.
 */
export const DEFAULT_VENDOR_PREFERENCE: readonly string[] = [
  'openai',
  'anthropic',
  'google',
  'meta-llama',
  'mistralai',
  'deepseek',
  'qwen',
  'x-ai',
  'cohere',
  'microsoft',
  'amazon',
  'nvidia',
  'moonshotai',
  'z-ai',
  'minimax',
  'perplexity',
  'ai21',
  'openrouter',
];

/** Where a bare name landed in the catalogue. */
export interface CatalogMatch {
  id: string;
  /** `catalog`: an id ends in `/<name>` exactly; `catalog-normalized`: after normalising. */
  via: 'catalog' | 'catalog-normalized';
  /** Every matching id, best first, when there was more than one. */
  candidates?: string[];
}

/** Options of {@link buildCatalogIndex}. */
export interface CatalogIndexOptions {
  /** Vendor prefixes, most preferred first; default {@link DEFAULT_VENDOR_PREFERENCE}. */
  vendorPreference?: readonly string[];
}

/** A lookup structure over OpenRouter's catalogue ids, built once, read per request. */
export interface CatalogIndex {
  readonly size: number;
  /** Whether the exact id is in the catalogue. */
  has(id: string): boolean;
  /** Resolves a bare name (no `/`); `null` when nothing matches or the name holds `/`. */
  lookup(name: string): CatalogMatch | null;
}

type Buckets = Map<string, string[]>;

function add(buckets: Buckets, key: string, id: string): void {
  const list = buckets.get(key);
  if (list) list.push(id);
  else buckets.set(key, [id]);
}

function pick(ids: string[] | undefined, via: CatalogMatch['via'], routing: string): CatalogMatch | null {
  if (!ids) return null;
  if (ids.length === 1) return { id: ids[0] + routing, via };
  return { id: ids[0] + routing, via, candidates: ids.map((id) => id + routing) };
}

/**
 * Indexes catalogue ids by their slug (what follows the last `/`) three ways:
 * exactly, loosely ({@link looseKey}) and by stem ({@link stemKey}). Each
 * bucket is sorted once, best first: preferred vendor, then shorter id, then
 * alphabetical. Building is linear in the number of ids (plus small sorts);
 * a lookup is at most three map reads.
 */
export function buildCatalogIndex(ids: readonly string[], options: CatalogIndexOptions = {}): CatalogIndex {
  const preference = options.vendorPreference ?? DEFAULT_VENDOR_PREFERENCE;
  const rank = new Map(preference.map((vendor, i) => [vendor.toLowerCase(), i] as const));
  const all = new Set(ids);
  const exact: Buckets = new Map();
  const loose: Buckets = new Map();
  const stem: Buckets = new Map();
  for (const id of all) {
    const slug = slugOf(id);
    if (!id.includes('/') || slug === '') continue;
    add(exact, slug, id);
    add(loose, looseKey(slug), id);
    add(stem, stemKey(slug), id);
  }
  const rankOf = (id: string): number => rank.get(vendorOf(id).toLowerCase()) ?? rank.size;
  const order = (a: string, b: string): number =>
    rankOf(a) - rankOf(b) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  for (const buckets of [exact, loose, stem]) for (const list of buckets.values()) list.sort(order);

  const find = (name: string, routing: string): CatalogMatch | null =>
    pick(exact.get(name), 'catalog', routing) ??
    pick(loose.get(looseKey(name)), 'catalog-normalized', routing) ??
    pick(stem.get(stemKey(name)), 'catalog-normalized', routing);

  return {
    size: all.size,
    has: (id) => all.has(id),
    lookup(name) {
      if (name === '' || name.includes('/')) return null;
      const direct = find(name, '');
      if (direct) return direct;
      // `deepseek-chat:nitro`: routing variants are not catalogue ids; resolve the rest, keep the suffix.
      const { rest, routing } = splitRoutingVariant(name);
      return routing ? find(rest, routing) : null;
    },
  };
}
