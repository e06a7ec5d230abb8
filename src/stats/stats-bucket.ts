import type { RequestRecord } from '../proxy/request-record';
import type { Usage } from '../proxy/usage';
import {
  type Counters,
  emptyCounters,
  mergeCounterMap,
  mergeCounters,
  type Observation,
  observe,
} from './counters';
import { failureClass } from './log-entry';

/** The stats of one time bucket: totals, and the same per model, client key and upstream key. */
export interface StatsBucket {
  /** Bucket start (ms). */
  t: number;
  total: Counters;
  /** By resolved model (the asked name when it did not resolve). */
  models: Record<string, Counters>;
  /** By client key id. */
  clients: Record<string, Counters>;
  /** By upstream key id; counts attempts (each try of a request), tokens go to the key that answered. */
  keys: Record<string, Counters>;
}

/**
 * Most model names one bucket (and the lifetime counters behind `/metrics`)
 * counts apart; the rest are counted together under {@link OTHER_MODELS}.
 * Clients choose model names: without a bound they could grow every bucket
 * past what the store accepts in one value.
 */
export const MAX_MODELS_PER_BUCKET = 200;

/** The name the models past {@link MAX_MODELS_PER_BUCKET} are counted under. */
export const OTHER_MODELS = '(other)';

/** Where `name` is counted in `models`: its own entry while there is room, else {@link OTHER_MODELS}. */
function modelSlot(models: Record<string, Counters>, name: string): string {
  if (name in models || Object.keys(models).length < MAX_MODELS_PER_BUCKET) return name;
  return OTHER_MODELS;
}

export function emptyBucket(t: number): StatsBucket {
  return { t, total: emptyCounters(true), models: {}, clients: {}, keys: {} };
}

const at = (map: Record<string, Counters>, name: string) => {
  let counters = map[name];
  if (!counters) {
    counters = emptyCounters();
    map[name] = counters;
  }
  return counters;
};

/**
 * Adds one request (and its tries) to a bucket. With `allKeysAs`, every try counts under that
 * one name instead of its key's id (for totals that need no per-key split).
 */
export function addRecord(
  bucket: StatsBucket,
  record: RequestRecord,
  usage: Usage | null,
  allKeysAs?: string,
): void {
  const observation = {
    errorClass: failureClass(record),
    latencyMs: record.latencyMs,
    promptTokens: usage?.promptTokens ?? 0,
    completionTokens: usage?.completionTokens ?? 0,
    cost: usage?.cost ?? 0,
  };
  observe(bucket.total, observation);
  const model = record.resolvedModel ?? record.model;
  if (model) observe(at(bucket.models, modelSlot(bucket.models, model)), observation);
  if (record.clientKeyId) observe(at(bucket.clients, record.clientKeyId), observation);
  const { tries } = record;
  const last = tries.length - 1;
  for (let i = 0; i <= last; i++) {
    const attempt = tries[i];
    const answered = i === last && attempt.keyId === record.keyId && attempt.errorClass === null;
    // One object for every try (observe() keeps nothing): this runs for every request.
    tryObservation.errorClass = attempt.errorClass;
    tryObservation.latencyMs = attempt.latencyMs;
    tryObservation.promptTokens = answered ? observation.promptTokens : 0;
    tryObservation.completionTokens = answered ? observation.completionTokens : 0;
    tryObservation.cost = answered ? observation.cost : 0;
    observe(at(bucket.keys, allKeysAs ?? attempt.keyId), tryObservation);
  }
}

const tryObservation: Observation = {
  errorClass: null,
  latencyMs: 0,
  promptTokens: 0,
  completionTokens: 0,
  cost: 0,
};

/** Adds every counter of `from` into `into`. */
export function mergeBucket(into: StatsBucket, from: StatsBucket): void {
  mergeCounters(into.total, from.total);
  for (const [name, counters] of Object.entries(from.models)) {
    mergeCounters(at(into.models, modelSlot(into.models, name)), counters);
  }
  mergeCounterMap(into.clients, from.clients);
  mergeCounterMap(into.keys, from.keys);
}
