// Test helpers of the stats tests: request records and a clock that moves.
import type { RequestRecord } from '../proxy/request-record';
import type { Usage } from '../proxy/usage';
import { MemoryStore } from '../store/memory-store';
import type { ListOptions, PutOptions, Store } from '../store/types';

/** A clock tests move by hand. */
export function manualClock(start: number): {
  now(): number;
  set(t: number): void;
  advance(ms: number): void;
} {
  let t = start;
  return {
    now: () => t,
    set: (to) => {
      t = to;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** A successful request of `client` through `key` for `model`, with usage. */
export function okRecord(
  at: number,
  overrides: Partial<RequestRecord> = {},
  usage?: Partial<Usage>,
): RequestRecord {
  const keyId = overrides.keyId ?? 'key-a';
  const full: Usage = { promptTokens: 10, completionTokens: 5, totalTokens: 15, cost: 0.001, ...usage };
  return {
    at,
    route: '/chat/completions',
    clientKeyId: 'client-1',
    clientName: 'tests',
    model: 'gpt-4o-mini',
    resolvedModel: 'openai/gpt-4o-mini',
    keyId,
    keyHint: 'sk-or-v1-…aaaa',
    status: 200,
    attempts: 1,
    tries: [{ keyId, keyHint: 'sk-or-v1-…aaaa', status: 200, errorClass: null, latencyMs: 100 }],
    latencyMs: 120,
    stream: false,
    errorClass: null,
    usage: full,
    ...overrides,
  };
}

/** A request that failed after trying `keys` (each answered `status`). */
export function failedRecord(
  at: number,
  errorClass: RequestRecord['errorClass'],
  keys: string[] = ['key-a'],
  status = 429,
): RequestRecord {
  return {
    ...okRecord(at),
    keyId: null,
    keyHint: null,
    status,
    attempts: keys.length,
    tries: keys.map((keyId) => ({ keyId, keyHint: 'sk-or-v1-…x', status, errorClass, latencyMs: 50 })),
    errorClass,
    usage: null,
  };
}

/** A MemoryStore that counts writes and lists, by name prefix (before the first `:`). */
export function countingStore(now: () => number): {
  store: Store;
  writes: Map<string, number>;
  lists: number;
  totalWrites(): number;
} {
  const inner = new MemoryStore({ now });
  const counts = {
    writes: new Map<string, number>(),
    lists: 0,
    totalWrites: () => [...counts.writes.values()].reduce((a, b) => a + b, 0),
    store: {
      get: (name: string) => inner.get(name),
      put: (name: string, value: unknown, options?: PutOptions) => {
        const prefix = name.split(':')[0];
        counts.writes.set(prefix, (counts.writes.get(prefix) ?? 0) + 1);
        return inner.put(name, value, options);
      },
      delete: (name: string) => inner.delete(name),
      list: (prefix: string, options?: ListOptions) => {
        counts.lists++;
        return inner.list(prefix, options);
      },
    } as Store,
  };
  return counts;
}
