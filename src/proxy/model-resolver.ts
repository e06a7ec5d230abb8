import type { StoredValue } from '../lib/stored-value';
import type { CatalogCache } from '../model-map/catalog-cache';
import { type CompiledModelMap, compileModelMap } from '../model-map/compile-model-map';
import type { ModelMap } from '../model-map/model-map';
import { type Resolution, resolveModel } from '../model-map/resolve-model';

/**
 * Resolves model names on the hot path from what is in memory: the alias
 * map (compiled again only when it changes) and the cached catalogue.
 */
export class ModelResolver {
  private compiledFor: ModelMap | null = null;
  private compiled: CompiledModelMap | null = null;

  constructor(
    private readonly modelMap: StoredValue<ModelMap>,
    private readonly catalog: CatalogCache,
  ) {}

  /** The OpenRouter id for `name`. */
  resolve(name: string): string {
    return this.explain(name).id;
  }

  /** The full resolution of `name`: the id, how it was found, the candidates. */
  explain(name: string): Resolution {
    const map = this.modelMap.current;
    if (map !== this.compiledFor) {
      this.compiled = compileModelMap(map);
      this.compiledFor = map;
    }
    return resolveModel(name, this.compiled!, this.catalog.current()?.index ?? null);
  }
}
