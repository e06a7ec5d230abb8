import { Agent, request } from 'node:http';
import type { Target } from './load';
import { type Latency, latencyOf } from './stats';

/** Time to first byte of concurrent streamed requests. */
export interface TtfbResult {
  streams: number;
  rounds: number;
  /** From the request being sent to the first body byte, ms. */
  ttfb: Latency;
  /** From the request being sent to the end of the stream, ms. */
  total: Latency;
  failed: number;
}

const STREAM_TIMEOUT_MS = 15_000;

/** One streamed request: resolves with [ttfb, total] in ms, or null when it failed. */
function oneStream(target: Target, agent: Agent): Promise<[number, number] | null> {
  return new Promise((resolve) => {
    let sentAt = 0;
    let firstAt = 0;
    const req = request(target.url, { method: 'POST', headers: target.headers, agent }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        res.once('end', () => resolve(null));
        return;
      }
      res.on('data', () => {
        if (firstAt === 0) firstAt = performance.now();
      });
      res.once('end', () => resolve(firstAt ? [firstAt - sentAt, performance.now() - sentAt] : null));
      res.once('error', () => resolve(null));
      res.once('close', () => resolve(null));
    });
    req.once('error', () => resolve(null));
    // A stream that hangs counts as failed instead of holding the benchmark up.
    req.setTimeout(STREAM_TIMEOUT_MS, () => req.destroy(new Error('stream timed out')));
    sentAt = performance.now();
    req.end(target.body);
  });
}

/**
 * `rounds` times: starts `streams` streamed requests at once on warm keep-alive connections and
 * waits for all of them to end. The first round only warms the connections and is not counted.
 */
export async function measureTtfb(target: Target, streams: number, rounds: number): Promise<TtfbResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: streams });
  const ttfb: number[] = [];
  const total: number[] = [];
  let failed = 0;
  try {
    for (let round = 0; round <= rounds; round++) {
      const results = await Promise.all(Array.from({ length: streams }, () => oneStream(target, agent)));
      if (round === 0) continue;
      for (const r of results) {
        if (!r) failed++;
        else {
          ttfb.push(r[0]);
          total.push(r[1]);
        }
      }
    }
  } finally {
    agent.destroy();
  }
  return { streams, rounds, ttfb: latencyOf(ttfb), total: latencyOf(total), failed };
}
