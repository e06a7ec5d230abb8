/**
 * Requests per minute per client key, exact: a sliding log of the last
 * `rpm` request times. `take` answers 0 when the request may go, else how
 * many ms until it may.
 */
export class RateLimiter {
  private readonly logs = new Map<string, { times: number[]; next: number }>();

  take(id: string, rpm: number, now: number): number {
    let log = this.logs.get(id);
    if (!log || log.times.length !== rpm) {
      log = { times: new Array<number>(rpm).fill(Number.NEGATIVE_INFINITY), next: 0 };
      this.logs.set(id, log);
    }
    const oldest = log.times[log.next];
    if (now - oldest < 60_000) return oldest + 60_000 - now;
    log.times[log.next] = now;
    log.next = (log.next + 1) % rpm;
    return 0;
  }
}
