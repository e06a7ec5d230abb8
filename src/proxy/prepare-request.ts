import type { ClientKeyRecord } from '../client-keys/client-key-record';
import { AppError } from '../errors';
import { matchGlob } from '../lib/glob';
import type { ModelResolver } from './model-resolver';
import { requestedModels } from './requested-models';

/** The request as it goes upstream, and what its model resolved to. */
export interface PreparedRequest {
  body: string;
  /** The name the client gave: `model`, else the first of `models`. */
  model: string | null;
  resolvedModel: string | null;
}

/** Options of {@link prepareRequest}. */
export interface PrepareOptions {
  resolver: ModelResolver;
}

/**
 * Resolves the model names (and the `models` fallback array), checks the
 * client key's allowed models (its rpm and cap are the `Limits`'), and rewrites the body only when a name changed:
 * otherwise the client's bytes go upstream untouched.
 */
export function prepareRequest(
  client: ClientKeyRecord,
  json: Record<string, unknown>,
  text: string,
  options: PrepareOptions,
): PreparedRequest {
  const names = requestedModels(json);
  if ('error' in names) throw new AppError(400, names.error, 'invalid_model', 'invalid_request_error');
  const { model, models: fallbacks } = names;
  const resolved = model === null ? null : options.resolver.resolve(model);
  const resolvedFallbacks = fallbacks?.map((m) => options.resolver.resolve(m));
  if (client.models) {
    for (const id of [resolved, ...(resolvedFallbacks ?? [])]) {
      if (id !== null && !client.models.some((pattern) => matchGlob(pattern, id))) {
        throw new AppError(
          403,
          `This API key may not use the model "${id}". Allowed: ${client.models.join(', ')}`,
          'model_not_allowed',
          'permission_error',
          { 'x-cloudrouter-attempts': '0' },
        );
      }
    }
  }
  const changed = resolved !== model || resolvedFallbacks?.some((m, i) => m !== fallbacks?.[i]);
  const named = model ?? fallbacks?.[0] ?? null;
  const resolvedNamed = resolved ?? resolvedFallbacks?.[0] ?? null;
  if (!changed) return { body: text, model: named, resolvedModel: resolvedNamed };
  const next: Record<string, unknown> = { ...json };
  if (model !== null) next.model = resolved;
  if (fallbacks && resolvedFallbacks) next.models = resolvedFallbacks;
  return { body: JSON.stringify(next), model: named, resolvedModel: resolvedNamed };
}
