import type { Stats, StatsRange, StatsRow } from './types';

/** Time of a series point in ms (the API may give ms or an ISO string). */
export function timeOf(t: number | string): number {
  return typeof t === 'number' ? t : Date.parse(t);
}

/** The name to show for a breakdown row, whatever the breakdown. */
export function rowLabel(row: StatsRow): string {
  for (const field of [
    'name',
    'client_name',
    'model',
    'label',
    'hint',
    'key_hint',
    'id',
    'client_id',
    'key_id',
  ]) {
    const value = row[field];
    if (typeof value === 'string' && value) return value;
  }
  return '?';
}

/** The busiest `n` rows. */
export function topRows(rows: StatsRow[] | undefined, n: number): StatsRow[] {
  return [...(rows ?? [])].sort((a, b) => b.requests - a.requests).slice(0, n);
}

/** Date-time formatting options for the axis labels of a range. */
export function axisFormat(range: StatsRange): Intl.DateTimeFormatOptions {
  if (range === 'day') return { hour: '2-digit', minute: '2-digit' };
  if (range === 'week') return { weekday: 'short', hour: '2-digit' };
  return { month: 'short', day: 'numeric' };
}

/** The series as columns for the charts. */
export function columns(stats: Stats) {
  const s = stats.series;
  return {
    times: s.map((p) => timeOf(p.t)),
    success: s.map((p) => p.success),
    failed: s.map((p) => p.failed),
    prompt: s.map((p) => p.prompt_tokens),
    completion: s.map((p) => p.completion_tokens),
    cost: s.map((p) => p.cost),
  };
}
