/** Percentiles of latency samples (ms), by nearest rank. */
export interface Latency {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentiles of `samples` (sorted in place). */
export function latencyOf(samples: number[]): Latency {
  const n = samples.length;
  if (n === 0) return { n, p50: Number.NaN, p99: Number.NaN, mean: Number.NaN };
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))];
  return { n, p50: at(50), p99: at(99), mean: samples.reduce((s, x) => s + x, 0) / n };
}
