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
      log = resized(log, rpm);
      this.logs.set(id, log);
    }
    const oldest = log.times[log.next];
    if (now - oldest < 60_000) return oldest + 60_000 - now;
    log.times[log.next] = now;
    log.next = (log.next + 1) % rpm;
    return 0;
  }
}

/** A log of `rpm` slots that keeps the most recent times of `log` (a changed rpm applies at once). */
function resized(log: { times: number[]; next: number } | undefined, rpm: number) {
  const times = new Array<number>(rpm).fill(Number.NEGATIVE_INFINITY);
  if (log) {
    const old = log.times.length;
    const ordered = Array.from({ length: old }, (_, i) => log.times[(log.next + i) % old]);
    const kept = ordered.slice(Math.max(0, old - rpm));
    times.splice(rpm - kept.length, kept.length, ...kept);
  }
  return { times, next: 0 };
}
