import autocannon from 'autocannon';
import { cpuMs } from './children';
import { type Latency, latencyOf } from './stats';

/** Where a load goes: a full URL, its headers and its JSON body. */
export interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What one load run measured. */
export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  /** Latency of the 2xx answers in ms (exact, from each response: autocannon's histogram has 1 ms steps). */
  latency: Latency;
  errors: number;
  non2xx: number;
  /** The raw 2xx latencies, to merge runs. */
  samples: number[];
  /** CPU time the proxy process used per answered request, µs (null when unknown). */
  cpuUsPerRequest: number | null;
}

/**
 * Closed-loop load: `connections` keep-alive connections, each sending the next request when answered.
 * With `pid`, also the CPU time that process used per request.
 */
export async function runLoad(
  target: Target,
  connections: number,
  seconds: number,
  pid?: number,
): Promise<LoadResult> {
  const samples: number[] = [];
  const cpuBefore = cpuMs(pid);
  const instance = autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    duration: seconds,
    timeout: 10,
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) samples.push(ms);
  });
  const result = await instance;
  const cpuAfter = cpuMs(pid);
  const requests = result['2xx'] + result.non2xx;
  const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  return {
    connections,
    seconds: result.duration,
    requests,
    rps: result['2xx'] / result.duration,
    latency: latencyOf(samples),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    samples,
    cpuUsPerRequest: cpu === null || requests === 0 ? null : (cpu * 1000) / requests,
  };
}

/** Several runs against one target as one: summed counts, merged latencies. */
export function mergeLoads(runs: LoadResult[]): LoadResult {
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const ok = runs.reduce((s, r) => s + r.rps * r.seconds, 0);
  const samples = runs.flatMap((r) => r.samples);
  return {
    connections: runs[0].connections,
    seconds,
    requests: runs.reduce((s, r) => s + r.requests, 0),
    rps: ok / seconds,
    latency: latencyOf(samples),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    samples,
    cpuUsPerRequest: runs.some((r) => r.cpuUsPerRequest === null)
      ? null
      : runs.reduce((s, r) => s + (r.cpuUsPerRequest ?? 0) * r.requests, 0) /
        Math.max(
          1,
          runs.reduce((s, r) => s + r.requests, 0),
        ),
  };
}
