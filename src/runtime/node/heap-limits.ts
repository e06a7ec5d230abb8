import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** Options of {@link limitHeap}. */
export interface HeapLimitsOptions {
  /**
   * Most size of V8's young generation (both semi-spaces), MiB. V8 grows it to 32 MiB under load;
   * a proxy's garbage dies within a request, so a smaller one costs a few more, equally short, scavenges.
   */
  newSpaceMiB: number;
  /**
   * How far the old generation may grow past what the last full GC kept before the next one,
   * percent (V8's `--heap-growing-percent`; V8 itself lets it grow up to fourfold, and never by less than 8 MiB).
   */
  growingPercent: number;
  /** Node's own flags (`process.execArgv`) and `NODE_OPTIONS`: a limit set there is left as it is. */
  execArgv: readonly string[];
  nodeOptions?: string;
}

/** The V8 flags that set each limit on the command line: given there, it is the user's. */
const NEW_SPACE_FLAGS = ['--max-semi-space-size', '--max_semi_space_size', '--semi-space-growth-factor'];
const GROWING_FLAGS = ['--heap-growing-percent', '--heap_growing_percent'];

/** Whether one of `flags` is among Node's flags or NODE_OPTIONS. */
export function givenFlag(flags: readonly string[], execArgv: readonly string[], nodeOptions = ''): boolean {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)];
  return given.some((arg) => flags.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
}

/**
 * V8's semi-space growth factor for a young generation of `newSpaceBytes` under a limit: 2 (V8's
 * own: it doubles when enough survives) below the limit, 1 (it stays) at or above it.
 */
export function semiSpaceGrowthFactor(newSpaceBytes: number, limitBytes: number): 1 | 2 {
  return newSpaceBytes < limitBytes ? 2 : 1;
}

/**
 * Keeps the Node server's heap small under load; answers a function that stops watching.
 * `--max-semi-space-size` takes effect only on the command line, which `npm start`, the
 * `cloudrouter` command and a systemd unit each write differently, so the young generation is
 * held here instead: after each GC its size is read and V8's growth factor set (1 stops the
 * growth, 2 lets it grow again after V8 shrank it when idle). V8 reads both flags when it
 * needs them, so setting them at run time takes effect. Limits given to `node` are kept.
 */
export function limitHeap(options: HeapLimitsOptions): () => void {
  const { execArgv, nodeOptions } = options;
  if (!givenFlag(GROWING_FLAGS, execArgv, nodeOptions)) {
    v8.setFlagsFromString(`--heap-growing-percent=${options.growingPercent}`);
  }
  if (givenFlag(NEW_SPACE_FLAGS, execArgv, nodeOptions)) return () => {};
  const limit = options.newSpaceMiB * 1024 * 1024;
  let factor = 2;
  const check = () => {
    const next = semiSpaceGrowthFactor(newSpaceSize(), limit);
    if (next === factor) return;
    factor = next;
    v8.setFlagsFromString(`--semi-space-growth-factor=${next}`);
  };
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  check();
  return () => observer.disconnect();
}

/** The young generation's size now, bytes. */
export function newSpaceSize(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}
