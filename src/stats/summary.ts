import {
  type Counters,
  type CountersView,
  countersView,
  emptyCounters,
  latencyPercentile,
  mergeCounterMap,
  mergeCounters,
} from './counters';
import { BUCKET_MS, DAY_MS, floorTo, HOUR_MS } from './stats-names';
import type { StatsPiece } from './stats-reader';

/** The ranges of `GET /admin/api/stats`. */
export type StatsRange = 'day' | 'week' | 'month';
export const STATS_RANGES: readonly StatsRange[] = ['day', 'week', 'month'];

/** The hours a range reads and the width of its chart's points. */
export interface RangeWindow {
  /** Start of the first hour (ms). */
  from: number;
  /** Now (ms). */
  to: number;
  bucketMs: number;
}

/**
 * The window of a range at `now`, in whole hours so that hourly roll-ups are
 * never split: the last 24 hours in 5-minute points, the last 7 days in
 * hours, the last 30 days in days (UTC).
 */
export function rangeWindow(range: StatsRange, now: number): RangeWindow {
  if (range === 'day') return { from: floorTo(now, HOUR_MS) - 23 * HOUR_MS, to: now, bucketMs: BUCKET_MS };
  if (range === 'week') return { from: floorTo(now, HOUR_MS) - 167 * HOUR_MS, to: now, bucketMs: HOUR_MS };
  return { from: floorTo(now, DAY_MS) - 29 * DAY_MS, to: now, bucketMs: DAY_MS };
}

/** One point of the chart. */
export type SeriesPoint = { t: number } & CountersView;

/** The sums of a window, before names are put on ids. */
export interface Summary {
  series: SeriesPoint[];
  totals: Counters;
  models: Record<string, Counters>;
  clients: Record<string, Counters>;
  keys: Record<string, Counters>;
}

/** Sums the pieces of a window into its chart points, totals and breakdowns. */
export function summarize(pieces: StatsPiece[], window: RangeWindow): Summary {
  const { from, to, bucketMs } = window;
  const first = floorTo(from, bucketMs);
  const count = Math.max(1, Math.floor((to - first) / bucketMs) + 1);
  const points = Array.from({ length: count }, () => emptyCounters());
  const summary: Summary = { series: [], totals: emptyCounters(true), models: {}, clients: {}, keys: {} };
  const addPoint = (t: number, counters: Counters) => {
    const i = Math.floor((t - first) / bucketMs);
    if (i >= 0 && i < count) mergeCounters(points[i], counters);
  };
  for (const piece of pieces) {
    const stats = piece.kind === 'bucket' ? piece.bucket : piece.hour;
    mergeCounters(summary.totals, stats.total);
    mergeCounterMap(summary.models, stats.models);
    mergeCounterMap(summary.clients, stats.clients);
    mergeCounterMap(summary.keys, stats.keys);
    if (piece.kind === 'bucket') addPoint(stats.t, stats.total);
    else if (bucketMs >= HOUR_MS) addPoint(stats.t, stats.total);
    else
      for (const [offset, counters] of Object.entries(piece.hour.sub))
        addPoint(stats.t + Number(offset) * BUCKET_MS, counters);
  }
  summary.series = points.map((c, i) => ({ t: first + i * bucketMs, ...countersView(c) }));
  return summary;
}

/** The totals as the admin API shows them, with latency percentiles from the histogram. */
export function totalsView(totals: Counters): CountersView & {
  latency_ms_p50: number | null;
  latency_ms_p95: number | null;
} {
  return {
    ...countersView(totals),
    latency_ms_p50: latencyPercentile(totals.lh, 0.5),
    latency_ms_p95: latencyPercentile(totals.lh, 0.95),
  };
}

/** A breakdown as a list, busiest first. */
export function breakdown<T extends object>(
  map: Record<string, Counters>,
  label: (id: string) => T,
): Array<T & CountersView> {
  return Object.entries(map)
    .sort(([a, x], [b, y]) => y.n - x.n || a.localeCompare(b))
    .map(([id, counters]) => ({ ...label(id), ...countersView(counters) }));
}
