import { describe, expect, it } from 'vitest';
import type { LoadResult } from './load';
import { type Figures, formatTables, infoLines, pairedRatio, verdict } from './report';

describe('pairedRatio', () => {
  it('is the median of the rounds’ ratios, with their range', () => {
    expect(pairedRatio([70, 80, 90], [100, 100, 100])).toEqual({ median: 0.8, min: 0.7, max: 0.9 });
    expect(pairedRatio([60, 80], [100, 100]).median).toBeCloseTo(0.7);
  });

  it('is not moved by one round that a noise burst spoiled', () => {
    const bare = [10_000, 10_000, 10_000, 10_000, 10_000];
    expect(pairedRatio([7_500, 7_400, 3_000, 7_600, 7_500], bare).median).toBe(0.75);
  });
});

describe('verdict', () => {
  const load = (rps: number, p50 = 1): LoadResult => ({
    connections: 50,
    seconds: 10,
    requests: rps * 10,
    rps,
    latency: { n: 1, p50, p99: p50, mean: p50 },
    errors: 0,
    non2xx: 0,
    samples: [],
    cpuUsPerRequest: null,
  });
  const names = { bare: 'bare', proxy: 'small', big: 'big', bigPool: 10_000 };

  it('judges throughput on the paired rounds and shows the whole run beside them', () => {
    const f: Figures = {
      saturated: { bare: load(10_000), small: load(6_500), big: load(6_000) },
      rounds: { bare: [10_000, 10_000, 10_000], small: [7_200, 7_100, 5_200], big: [7_000, 6_900, 4_000] },
      sequential: { bare: load(1_000, 0.3), small: load(900, 0.4), big: load(900, 0.4) },
      ttfb: {},
      peakRssMiB: {},
      importMs: {},
    };
    const [throughput, latency, pool] = verdict(f, names);
    expect(throughput.pass).toBe(true);
    expect(throughput.measured).toContain('71.0% (median of 3 rounds');
    expect(throughput.measured).toContain('whole run 65.0%');
    expect(latency.pass).toBe(true);
    expect(pool.pass).toBe(true);
  });

  it('judges each proxy’s peak RSS against its target, with the bare proxy’s beside it', () => {
    const f: Figures = {
      saturated: { bare: load(10_000), small: load(9_000), big: load(9_000) },
      rounds: { bare: [10_000], small: [9_000], big: [9_000] },
      sequential: { bare: load(1_000, 0.3), small: load(900, 0.4), big: load(900, 0.4) },
      ttfb: {},
      peakRssMiB: { bare: 88.4, small: 119.6, big: 151.2 },
      importMs: {},
    };
    const [, , , small, big] = verdict(f, names);
    expect(small).toEqual({
      goal: 'peak RSS of the 10-key proxy <= 120 MiB',
      measured: '119.6 MiB (bare proxy 88.4 MiB)',
      pass: true,
    });
    expect(big.goal).toBe('peak RSS of the 10,000-key proxy <= 150 MiB');
    expect(big.pass).toBe(false);
    f.peakRssMiB = { bare: null, small: null, big: null };
    expect(verdict(f, names)[3]).toMatchObject({ measured: 'unknown (no /proc)', pass: false });
  });

  it('prints the Messages row beside chat, and its ratio to bare', () => {
    const f: Figures = {
      saturated: { bare: load(10_000), small: load(7_000), big: load(7_000) },
      rounds: { bare: [10_000], small: [7_000], big: [7_000] },
      messages: { bare: load(9_000), small: load(6_300) },
      messagesRounds: { bare: [9_000, 9_000, 9_000], small: [6_300, 6_000, 6_600] },
      sequential: { bare: load(1_000, 0.3), small: load(900, 0.4), big: load(900, 0.4) },
      ttfb: {
        bare: {
          streams: 1,
          ttfb: { n: 1, p50: 1, p99: 1, mean: 1 },
          total: { n: 1, p50: 1, p99: 1, mean: 1 },
          failed: 0,
          rounds: 1,
        },
        small: {
          streams: 1,
          ttfb: { n: 1, p50: 1, p99: 1, mean: 1 },
          total: { n: 1, p50: 1, p99: 1, mean: 1 },
          failed: 0,
          rounds: 1,
        },
      },
      peakRssMiB: {},
      importMs: {},
    };
    const tables = formatTables(f, ['bare', 'small', 'big']);
    expect(tables).toContain('Non-streaming POST /messages (Anthropic Messages), saturated');
    expect(tables.split('\n').filter((l) => /^\s*small\s+50\s+6300/.test(l))).toHaveLength(1);
    expect(infoLines(f, names).join('\n')).toContain(
      'POST /messages: proxy 70.0% of bare req/s (median of 3 rounds',
    );
  });
});
