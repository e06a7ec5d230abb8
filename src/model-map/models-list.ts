import { vendorOf } from './model-name';

/** One entry of OpenRouter's `GET /models` `data`; only `id` is relied upon. */
export interface OpenRouterModel {
  id: string;
  name?: string;
  created?: number;
  description?: string;
  context_length?: number | null;
  [field: string]: unknown;
}

/** One entry of OpenAI's model list, with OpenRouter's extra fields kept. */
export interface OpenAiModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  /** For an alias: the OpenRouter id it sends requests to. */
  alias_for?: string;
  [field: string]: unknown;
}

/** OpenAI's `ListModelsResponse`. */
export interface OpenAiModelList {
  object: 'list';
  data: OpenAiModelEntry[];
}

function ownerOf(id: string): string {
  return vendorOf(id) || 'openrouter';
}

function createdOf(model: OpenRouterModel | undefined): number {
  const created = model?.created;
  return typeof created === 'number' && Number.isFinite(created) && created >= 0 ? Math.floor(created) : 0;
}

function entryFor(id: string, model: OpenRouterModel | undefined, owner: string): OpenAiModelEntry {
  return { ...model, id, object: 'model', created: createdOf(model), owned_by: owner };
}

/**
 * Builds `GET /v1/models` in OpenAI's shape from OpenRouter's catalogue.
 * Exact aliases come first, in map order: each is its own entry, `id` being the
 * alias name, with its target's fields (when the target is in the catalogue),
 * `owned_by` the target's vendor and `alias_for` the target. Then every
 * catalogue model, in catalogue order, with `owned_by` its vendor prefix and
 * OpenRouter's extra fields (name, pricing, context_length, ...) kept. A
 * catalogue id that is also an alias name is listed once, as the alias.
 * Pattern aliases (names with `*`) are not listed.
 */
export function toOpenAiModelList(
  catalogue: readonly OpenRouterModel[],
  aliases: Readonly<Record<string, string>>,
): OpenAiModelList {
  const byId = new Map<string, OpenRouterModel>();
  for (const model of catalogue) if (!byId.has(model.id)) byId.set(model.id, model);
  const data: OpenAiModelEntry[] = [];
  const listed = new Set<string>();
  for (const [name, target] of Object.entries(aliases)) {
    if (name.includes('*')) continue;
    data.push({ ...entryFor(name, byId.get(target), ownerOf(target)), alias_for: target });
    listed.add(name);
  }
  for (const [id, model] of byId) {
    if (!listed.has(id)) data.push(entryFor(id, model, ownerOf(id)));
  }
  return { object: 'list', data };
}
