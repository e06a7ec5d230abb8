import type { ErrorClass } from '../proxy/upstream-error';

/** Upper bounds (ms) of the latency histogram's buckets; one more bucket holds the rest. */
export const LATENCY_BOUNDS_MS = [100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000] as const;

/**
 * Counts over a set of requests (or, per upstream key, attempts). Short field
 * names because they are stored by the thousand (see docs/storage-schema.md).
 */
export interface Counters {
  /** Requests. */
  n: number;
  /** Successes; failures are `n - ok`. */
  ok: number;
  /** Failures by class. */
  f: Partial<Record<ErrorClass, number>>;
  /** Prompt and completion tokens. */
  pt: number;
  ct: number;
  /** Cost (USD, as OpenRouter reports `usage.cost`). */
  c: number;
  /** Latency: sum and count (ms). */
  ls: number;
  lc: number;
  /** Latency histogram over {@link LATENCY_BOUNDS_MS} (totals only). */
  lh?: number[];
}

/** One observation added to counters. */
export interface Observation {
  errorClass: ErrorClass | null;
  latencyMs: number | null;
  promptTokens: number;
  completionTokens: number;
  cost: number;
}

export function emptyCounters(histogram = false): Counters {
  const counters: Counters = { n: 0, ok: 0, f: {}, pt: 0, ct: 0, c: 0, ls: 0, lc: 0 };
  if (histogram) counters.lh = new Array(LATENCY_BOUNDS_MS.length + 1).fill(0);
  return counters;
}

/** Index of the histogram bucket of a latency. */
export function latencyBucket(ms: number): number {
  let i = 0;
  while (i < LATENCY_BOUNDS_MS.length && ms > LATENCY_BOUNDS_MS[i]) i++;
  return i;
}

/** Adds one observation. */
export function observe(into: Counters, o: Observation): void {
  into.n++;
  if (o.errorClass === null) into.ok++;
  else into.f[o.errorClass] = (into.f[o.errorClass] ?? 0) + 1;
  into.pt += o.promptTokens;
  into.ct += o.completionTokens;
  into.c += o.cost;
  if (o.latencyMs !== null) {
    into.ls += o.latencyMs;
    into.lc++;
    if (into.lh) into.lh[latencyBucket(o.latencyMs)]++;
  }
}

/** Adds `from` into `into` (histograms too, when both have one). */
export function mergeCounters(into: Counters, from: Counters): void {
  into.n += from.n;
  into.ok += from.ok;
  for (const [name, count] of Object.entries(from.f) as Array<[ErrorClass, number]>)
    into.f[name] = (into.f[name] ?? 0) + count;
  into.pt += from.pt;
  into.ct += from.ct;
  into.c += from.c;
  into.ls += from.ls;
  into.lc += from.lc;
  if (into.lh && from.lh) for (let i = 0; i < into.lh.length; i++) into.lh[i] += from.lh[i] ?? 0;
}

/** Adds a map of counters into another, key by key. */
export function mergeCounterMap(into: Record<string, Counters>, from: Record<string, Counters>): void {
  for (const [name, counters] of Object.entries(from)) {
    into[name] ??= emptyCounters();
    mergeCounters(into[name], counters);
  }
}

/**
 * The latency under which `share` (0..1) of the requests fell, read from the
 * histogram: the upper bound of the bucket reaching the share (the last
 * bucket has no bound and answers the largest bound). Null without data.
 */
export function latencyPercentile(histogram: number[] | undefined, share: number): number | null {
  if (!histogram) return null;
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const target = share * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= target) return LATENCY_BOUNDS_MS[Math.min(i, LATENCY_BOUNDS_MS.length - 1)];
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}

/** Counters as the admin API shows them (snake_case, derived fields). */
export interface CountersView {
  requests: number;
  success: number;
  failed: number;
  failures: Partial<Record<ErrorClass, number>>;
  prompt_tokens: number;
  completion_tokens: number;
  cost: number;
  latency_ms_avg: number | null;
}

export function countersView(c: Counters): CountersView {
  return {
    requests: c.n,
    success: c.ok,
    failed: c.n - c.ok,
    failures: { ...c.f },
    prompt_tokens: c.pt,
    completion_tokens: c.ct,
    cost: Math.round(c.c * 1e8) / 1e8,
    latency_ms_avg: c.lc === 0 ? null : Math.round(c.ls / c.lc),
  };
}
