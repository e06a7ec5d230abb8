/**
 * `npm run bench`: the Node proxy (dist/node/main.js) against a bare pass-through proxy, both in
 * front of the mock OpenRouter, everything on 127.0.0.1 in child processes; the load generator
 * (autocannon) runs here. Chat completions are measured on every target; Anthropic Messages
 * (`POST /v1/messages`, the Claude Code path) on the bare proxy and the 10-key proxy, in the same
 * interleaved rounds. Prints the figures and the verdict (throughput, latency, and each process's
 * peak RSS against report.ts's PEAK_RSS_TARGET_MIB), writes them to .bench/last.json. The proxies run
 * as `npm start` runs them (`node dist/node/main.js`, which sets its own heap limits).
 * Knobs (env): BENCH_SECONDS (10, measured per target), BENCH_SLICES (10: rounds, each running every
 * target for BENCH_SECONDS / BENCH_SLICES back to back; on a shared machine whose speed varies by the
 * second, a slow second sways the median of ten short paired rounds less than that of five), BENCH_CONNECTIONS (50), BENCH_WARMUP (6,
 * seconds per target: the proxy's path is fully optimized by V8 only after some 50,000 requests;
 * after 2 s its CPU per request was 13% higher in paired runs),
 * BENCH_STREAMS (50), BENCH_ROUNDS (20), BENCH_BIG_POOL (10000), BENCH_PROXY_ARGS (node options of
 * both proxies, e.g. `--cpu-prof --cpu-prof-dir=.bench/prof` to profile them), BENCH_MAIN (the
 * built entry, default dist/node/main.js).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { type Child, startChild, stopChild, trackPeakRss } from './children';
import { type LoadResult, mergeLoads, runLoad, type Target } from './load';
import { formatPicks, measurePicks } from './pick';
import { type BenchProxy, startProxy } from './proxy';
import { type Figures, formatTables, formatVerdict, infoLines, verdict } from './report';
import { measureTtfb } from './ttfb';

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const cfg = {
  seconds: num('BENCH_SECONDS', 10),
  connections: num('BENCH_CONNECTIONS', 50),
  warmup: num('BENCH_WARMUP', 6),
  streams: num('BENCH_STREAMS', 50),
  rounds: num('BENCH_ROUNDS', 20),
  bigPool: num('BENCH_BIG_POOL', 10_000),
  /** The measured seconds of each target are split in this many slices, interleaved across targets. */
  slices: num('BENCH_SLICES', 10),
  sequentialSeconds: 3,
  proxyArgs: (process.env.BENCH_PROXY_ARGS ?? '').split(/\s+/).filter(Boolean),
  main: process.env.BENCH_MAIN ?? 'dist/node/main.js',
};
const WATCHDOG_S = 60 + 10 * (cfg.seconds + cfg.warmup + cfg.sequentialSeconds);
const BARE = 'bare';
const SMALL = 'proxy-10-keys';
const BIG = `proxy-${cfg.bigPool}-keys`;
const NAMES = [BARE, SMALL, BIG];

const chat = (stream: boolean) =>
  JSON.stringify({
    model: 'openai/gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello in five words.' }],
    ...(stream ? { stream: true } : {}),
  });

function target(origin: string, path: string, key: string, stream: boolean): Target {
  return {
    url: `${origin}${path}/chat/completions`,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: chat(stream),
  };
}

/** An Anthropic Messages request, as Claude Code sends one (`x-api-key`, `anthropic-version`). */
function messagesTarget(origin: string, path: string, key: string): Target {
  return {
    url: `${origin}${path}/messages`,
    headers: {
      'x-api-key': key,
      // The bare proxy passes headers as they are: OpenRouter (the mock) wants a Bearer key.
      authorization: `Bearer ${key}`,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model: 'anthropic/claude-3.5-sonnet',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Say hello in five words.' }],
    }),
  };
}

/** The targets of the Messages row: the bare proxy and the 10-key proxy. */
const MESSAGES_NAMES = [BARE, SMALL];

const say = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  if (!existsSync(cfg.main)) throw new Error(`${cfg.main} is missing: run \`npm run build\``);
  const children: Child[] = [];
  const proxies: BenchProxy[] = [];
  const stopAll = async () => {
    await Promise.all([...children, ...proxies.map((p) => p.child)].map((c) => stopChild(c)));
    for (const p of proxies) p.cleanup();
  };
  process.once('SIGINT', () => stopAll().then(() => process.exit(130)));
  // Bounded whatever happens: a run that hangs is stopped, its children with it.
  const watchdog = setTimeout(() => {
    say(`bench: still running after ${WATCHDOG_S} s, stopping`);
    stopAll().then(() => process.exit(2));
  }, WATCHDOG_S * 1000);
  watchdog.unref();
  try {
    say(
      `bench: node ${process.version}, ${cpus().length} cpus; starting the mock, the bare proxy, two proxies`,
    );
    const mock = await startChild(
      ['--import', 'tsx', 'test/mock-openrouter/cli.ts', '--port', '0', '--no-record'],
      /MOCK_URL=(\S+)/,
    );
    children.push(mock);
    const mockOrigin = new URL(mock.value).origin;
    const bare = await startChild(['bench/bare-proxy.mjs', mockOrigin], /BARE_URL=(\S+)/);
    children.push(bare);
    const small = await startProxy(mock.value, 10, cfg.proxyArgs, cfg.main);
    proxies.push(small);
    const big = await startProxy(mock.value, cfg.bigPool, cfg.proxyArgs, cfg.main);
    proxies.push(big);
    const pids: Record<string, number | undefined> = {
      [BARE]: bare.proc.pid,
      [SMALL]: small.child.proc.pid,
      [BIG]: big.child.proc.pid,
    };
    const memory = Object.fromEntries(NAMES.map((n) => [n, trackPeakRss(pids[n])]));

    const targets = (stream: boolean): Record<string, Target> => ({
      [BARE]: target(bare.value, '/api/v1', 'sk-or-v1-bench-bare', stream),
      [SMALL]: target(small.origin, '/v1', small.clientKey, stream),
      [BIG]: target(big.origin, '/v1', big.clientKey, stream),
    });
    const plain = targets(false);
    const streamed = targets(true);
    const messages: Record<string, Target> = {
      [BARE]: messagesTarget(bare.value, '/api/v1', 'sk-or-v1-bench-bare'),
      [SMALL]: messagesTarget(small.origin, '/v1', small.clientKey),
    };

    say(`bench: warm-up, ${cfg.warmup} s per target`);
    for (const name of NAMES) await runLoad(plain[name], cfg.connections, cfg.warmup);
    for (const name of MESSAGES_NAMES) await runLoad(messages[name], cfg.connections, cfg.warmup / 2);

    const slices: Record<string, LoadResult[]> = { [BARE]: [], [SMALL]: [], [BIG]: [] };
    const messageSlices: Record<string, LoadResult[]> = { [BARE]: [], [SMALL]: [] };
    const slice = cfg.seconds / cfg.slices;
    for (let i = 0; i < cfg.slices; i++) {
      for (const name of NAMES) {
        say(`bench: ${cfg.connections} connections, ${slice} s -> ${name} (${i + 1}/${cfg.slices})`);
        slices[name].push(await runLoad(plain[name], cfg.connections, slice, pids[name]));
      }
      for (const name of MESSAGES_NAMES) {
        say(
          `bench: ${cfg.connections} connections, ${slice} s -> ${name} /messages (${i + 1}/${cfg.slices})`,
        );
        messageSlices[name].push(await runLoad(messages[name], cfg.connections, slice, pids[name]));
      }
    }
    const sequential: Record<string, LoadResult> = {};
    for (const name of NAMES) {
      say(`bench: one connection, ${cfg.sequentialSeconds} s -> ${name}`);
      sequential[name] = await runLoad(plain[name], 1, cfg.sequentialSeconds, pids[name]);
    }
    const ttfb: Figures['ttfb'] = {};
    for (const name of NAMES) {
      say(`bench: ${cfg.streams} concurrent streams x ${cfg.rounds} rounds -> ${name}`);
      ttfb[name] = await measureTtfb(streamed[name], cfg.streams, cfg.rounds);
    }

    const figures: Figures = {
      saturated: Object.fromEntries(NAMES.map((n) => [n, mergeLoads(slices[n])])),
      rounds: Object.fromEntries(NAMES.map((n) => [n, slices[n].map((s) => s.rps)])),
      messages: Object.fromEntries(MESSAGES_NAMES.map((n) => [n, mergeLoads(messageSlices[n])])),
      messagesRounds: Object.fromEntries(MESSAGES_NAMES.map((n) => [n, messageSlices[n].map((s) => s.rps)])),
      sequential,
      ttfb,
      peakRssMiB: Object.fromEntries(NAMES.map((n) => [n, memory[n].read()])),
      importMs: { [SMALL]: small.importMs, [BIG]: big.importMs },
    };
    for (const m of Object.values(memory)) m.stop();
    const names = { bare: BARE, proxy: SMALL, big: BIG, bigPool: cfg.bigPool };
    const checks = verdict(figures, names);
    const info = infoLines(figures, names);
    process.stdout.write(`\n${formatTables(figures, NAMES)}\n\n${formatVerdict(checks, info)}\n`);
    say('bench: choosing a key, in-process');
    const picks = measurePicks();
    process.stdout.write(`\n${formatPicks(picks)}\n`);
    mkdirSync('.bench', { recursive: true });
    const json = {
      at: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      config: cfg,
      ...figures,
      saturated: strip(figures.saturated),
      messages: strip(figures.messages ?? {}),
      sequential: strip(figures.sequential),
      verdict: checks,
      info,
      picks,
    };
    writeFileSync('.bench/last.json', `${JSON.stringify(json, null, 2)}\n`);
    say('bench: figures written to .bench/last.json');
  } finally {
    await stopAll();
  }
}

/** The results without their raw samples. */
function strip(runs: Record<string, LoadResult>): Record<string, Omit<LoadResult, 'samples'>> {
  return Object.fromEntries(Object.entries(runs).map(([n, { samples: _, ...rest }]) => [n, rest]));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
