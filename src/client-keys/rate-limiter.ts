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

  /** The times let through after `since`, oldest first, per client key (to keep them over a restart). */
  recent(since: number): Array<[string, number[]]> {
    const out: Array<[string, number[]]> = [];
    for (const [id, log] of this.logs) {
      const n = log.times.length;
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const at = log.times[(log.next + i) % n];
        if (at > since) times.push(at);
      }
      if (times.length) out.push([id, times]);
      else this.logs.delete(id);
    }
    return out;
  }

  /** Takes back the times {@link recent} gave (the next `take` fits them to the key's rpm). */
  restore(recent: Array<[string, number[]]>): void {
    for (const [id, times] of recent) this.logs.set(id, { times: [...times], next: 0 });
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
