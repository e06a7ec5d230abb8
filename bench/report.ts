import type { LoadResult } from './load';
import type { TtfbResult } from './ttfb';

/** Everything one benchmark run measured, per target. */
export interface Figures {
  saturated: Record<string, LoadResult>;
  /** Requests/s of each target in each round (its slices, run back to back with the others'). */
  rounds: Record<string, number[]>;
  /** Non-streaming POST /messages (Anthropic Messages), saturated, on the targets that ran it. */
  messages?: Record<string, LoadResult>;
  /** Its requests/s in each round. */
  messagesRounds?: Record<string, number[]>;
  sequential: Record<string, LoadResult>;
  ttfb: Record<string, TtfbResult>;
  /** Peak RSS (VmHWM) in MiB per process. */
  peakRssMiB: Record<string, number | null>;
  /** Time to import each pool through the admin API, ms. */
  importMs: Record<string, number>;
}

/** One target against the benchmark's goals. */
export interface Check {
  goal: string;
  measured: string;
  pass: boolean;
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const pad = (cells: string[], widths: number[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [pad(header, widths), ...rows.map((r) => pad(r, widths))].join('\n');
}

/** The human-readable tables. */
export function formatTables(f: Figures, names: string[]): string {
  const load = (title: string, runs: Record<string, LoadResult>) =>
    `${title}\n${table(
      ['target', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'cpu µs/req', 'requests', 'non-2xx', 'errors'],
      names
        .filter((n) => runs[n])
        .map((n) => {
          const r = runs[n];
          return [
            n,
            String(r.connections),
            r.rps.toFixed(0),
            ms(r.latency.p50),
            ms(r.latency.p99),
            r.cpuUsPerRequest === null ? '-' : r.cpuUsPerRequest.toFixed(0),
            String(r.requests),
            String(r.non2xx),
            String(r.errors),
          ];
        }),
    )}`;
  const streams = `Streams (all started at once; ms from request sent)\n${table(
    ['target', 'streams', 'samples', 'ttfb p50', 'ttfb p99', 'end p50', 'end p99', 'failed'],
    names
      .filter((n) => f.ttfb[n])
      .map((n) => {
        const t = f.ttfb[n];
        return [
          n,
          String(t.streams),
          String(t.ttfb.n),
          ms(t.ttfb.p50),
          ms(t.ttfb.p99),
          ms(t.total.p50),
          ms(t.total.p99),
          String(t.failed),
        ];
      }),
  )}`;
  const memory = `Peak RSS (VmHWM)\n${table(
    ['process', 'MiB', 'pool import ms'],
    names.map((n) => [
      n,
      f.peakRssMiB[n]?.toFixed(1) ?? '-',
      f.importMs[n] === undefined ? '-' : f.importMs[n].toFixed(0),
    ]),
  )}`;
  return [
    load('Non-streaming POST /chat/completions, saturated', f.saturated),
    ...(f.messages ? [load('Non-streaming POST /messages (Anthropic Messages), saturated', f.messages)] : []),
    load('Same, one connection (latency without queueing)', f.sequential),
    streams,
    memory,
  ].join('\n\n');
}

/** Which figures are which: the baseline, the 10-key proxy, the big-pool proxy. */
export interface Names {
  bare: string;
  proxy: string;
  big: string;
  bigPool: number;
}

/** The median of per-round ratios `a[i] / b[i]`: a noise burst on the host spoils one round, not the figure. */
export function pairedRatio(a: number[], b: number[]): { median: number; min: number; max: number } {
  const ratios = a.map((x, i) => x / b[i]).sort((x, y) => x - y);
  const mid = ratios.length >> 1;
  const median = ratios.length % 2 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
  return { median, min: ratios[0], max: ratios[ratios.length - 1] };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Most peak RSS (MiB) of the 10-key proxy and of the big pool's, under the benchmark's load. */
export const PEAK_RSS_TARGET_MIB = { proxy: 120, big: 150 } as const;

/**
 * The verdict against the targets: proxy >= 70% of bare req/s, < 1 ms added at p50, big pool within
 * 10%, peak RSS within {@link PEAK_RSS_TARGET_MIB}. Throughput is judged on the median of the rounds'
 * ratios; the whole run's ratio is shown too.
 */
export function verdict(f: Figures, n: Names): Check[] {
  const ratio = pairedRatio(f.rounds[n.proxy], f.rounds[n.bare]);
  const whole = f.saturated[n.proxy].rps / f.saturated[n.bare].rps;
  const added = f.sequential[n.proxy].latency.p50 - f.sequential[n.bare].latency.p50;
  const pool = pairedRatio(f.rounds[n.big], f.rounds[n.proxy]);
  const wholePool = f.saturated[n.big].rps / f.saturated[n.proxy].rps;
  const rounds = f.rounds[n.bare].length;
  const spread = (r: { median: number; min: number; max: number }, all: number) =>
    `${pct(r.median)} (median of ${rounds} rounds, ${pct(r.min)} to ${pct(r.max)}; whole run ${pct(all)})`;
  return [
    {
      goal: 'proxy req/s >= 70% of bare',
      measured: spread(ratio, whole),
      pass: ratio.median >= 0.7,
    },
    {
      goal: 'proxy adds < 1 ms at p50 (one connection)',
      measured: `${added.toFixed(3)} ms`,
      pass: added < 1,
    },
    {
      goal: `${n.bigPool.toLocaleString('en-US')}-key pool req/s within 10% of 10-key`,
      measured: spread(pool, wholePool),
      pass: pool.median >= 0.9,
    },
    rssCheck(f, n, 'proxy', '10-key proxy'),
    rssCheck(f, n, 'big', `${n.bigPool.toLocaleString('en-US')}-key proxy`),
  ];
}

/** Peak RSS of one proxy against its target, beside the bare proxy's. */
function rssCheck(f: Figures, n: Names, which: 'proxy' | 'big', what: string): Check {
  const target = PEAK_RSS_TARGET_MIB[which];
  const peak = f.peakRssMiB[n[which]];
  const bare = f.peakRssMiB[n.bare];
  return {
    goal: `peak RSS of the ${what} <= ${target} MiB`,
    measured:
      peak === null || peak === undefined
        ? 'unknown (no /proc)'
        : `${peak.toFixed(1)} MiB (bare proxy ${bare?.toFixed(1) ?? '-'} MiB)`,
    pass: peak !== null && peak !== undefined && peak <= target,
  };
}

/**
 * Figures that explain the verdict. CPU time per request (of the proxy process alone) is much less
 * sensitive to other processes on the machine than req/s.
 */
export function infoLines(f: Figures, n: Names): string[] {
  const sat = f.saturated;
  const cpu = (name: string) => sat[name].cpuUsPerRequest;
  const share = (a: number | null, b: number | null) =>
    a && b ? `${((100 * a) / b).toFixed(1)}%` : 'unknown';
  return [
    `CPU per request: proxy ${cpu(n.proxy)?.toFixed(0) ?? '-'} µs, bare ${cpu(n.bare)?.toFixed(0) ?? '-'} µs: ` +
      `on a core of its own the proxy would reach ~${share(cpu(n.bare), cpu(n.proxy))} of bare`,
    `CPU per request of the ${n.bigPool}-key pool: ${share(cpu(n.big), cpu(n.proxy))} of the 10-key pool's`,
    `saturated p50: proxy ${(sat[n.proxy].latency.p50 - sat[n.bare].latency.p50).toFixed(2)} ms over bare`,
    ...messagesLines(f, n),
    `stream ttfb p50: proxy ${(f.ttfb[n.proxy].ttfb.p50 - f.ttfb[n.bare].ttfb.p50).toFixed(2)} ms over bare`,
  ];
}

/** The Messages row against bare: throughput (median of the paired rounds) and CPU per request. */
function messagesLines(f: Figures, n: Names): string[] {
  const rounds = f.messagesRounds;
  const runs = f.messages;
  if (!rounds?.[n.proxy] || !rounds[n.bare] || !runs) return [];
  const ratio = pairedRatio(rounds[n.proxy], rounds[n.bare]);
  const cpu = runs[n.proxy].cpuUsPerRequest;
  const chatCpu = f.saturated[n.proxy].cpuUsPerRequest;
  return [
    `POST /messages: proxy ${pct(ratio.median)} of bare req/s (median of ${rounds[n.bare].length} rounds, ` +
      `${pct(ratio.min)} to ${pct(ratio.max)}); CPU per request ${cpu?.toFixed(0) ?? '-'} µs ` +
      `(chat ${chatCpu?.toFixed(0) ?? '-'} µs)`,
  ];
}

/** The verdict lines, then the explaining ones. */
export function formatVerdict(checks: Check[], info: string[] = []): string {
  const lines = checks.map((c) => `  ${c.pass ? 'PASS' : 'MISS'}  ${c.goal}: ${c.measured}`);
  return `Verdict\n${[...lines, ...info.map((line) => `  info  ${line}`)].join('\n')}`;
}
