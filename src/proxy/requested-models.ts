/**
 * What a model request may name: the pure rules, no imports. Every model
 * route reads its names through {@link requestedModels} (from the request
 * preparation), so a route never sends upstream a request that names no
 * model (OpenRouter would use the account's default one, past the client
 * key's allow-list) or a name that could not go into a header or a log.
 */

/** Bounds on the model names of one request. */
export const MODEL_NAME_LIMITS = { maxLength: 200, maxFallbacks: 32 } as const;

/** The names a request gives: its `model` (or null) and its `models` fallback array (or null). */
export interface RequestedModels {
  model: string | null;
  models: string[] | null;
}

// OpenRouter's ids are printable ASCII without spaces (`vendor/slug:variant`).
const NAME = /^[\x21-\x7e]+$/;

function checkName(field: string, value: unknown): string | null {
  if (typeof value !== 'string') return `"${field}" must be a string naming a model`;
  if (value.length === 0) return `"${field}" must not be empty`;
  if (value.length > MODEL_NAME_LIMITS.maxLength) {
    return `"${field}" is ${value.length} characters long; a model name holds at most ${MODEL_NAME_LIMITS.maxLength}`;
  }
  if (!NAME.test(value)) {
    return `"${field}" must be printable ASCII without spaces, as OpenRouter's model ids are`;
  }
  return null;
}

/**
 * The model names of a request body, or a message saying why it names none
 * it may send: `model` must be a string, or absent when `models` (a
 * non-empty array of strings, at most 32) names them; each name 1 to 200
 * printable ASCII characters without spaces.
 */
export function requestedModels(body: Record<string, unknown>): RequestedModels | { error: string } {
  const hasModel = body.model !== undefined && body.model !== null;
  const hasModels = body.models !== undefined && body.models !== null;
  if (!hasModel && !hasModels) {
    return { error: 'The request must name its model: "model" (a string) or "models" (an array of strings)' };
  }
  let model: string | null = null;
  if (hasModel) {
    const error = checkName('model', body.model);
    if (error) return { error };
    model = body.model as string;
  }
  let models: string[] | null = null;
  if (hasModels) {
    const list = body.models;
    if (!Array.isArray(list) || list.length === 0) {
      return { error: '"models" must be a non-empty array of model names' };
    }
    if (list.length > MODEL_NAME_LIMITS.maxFallbacks) {
      return {
        error: `"models" holds ${list.length} names; at most ${MODEL_NAME_LIMITS.maxFallbacks} are allowed`,
      };
    }
    for (let i = 0; i < list.length; i++) {
      const error = checkName(`models[${i}]`, list[i]);
      if (error) return { error };
    }
    models = list as string[];
  }
  return { model, models };
}
