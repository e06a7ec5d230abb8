/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failures a client may have before waits begin. */
  freeTries?: number;
  /** The first wait; each further failure doubles it. */
  baseMs?: number;
  maxMs?: number;
  /** A client with no failure for this long starts afresh. */
  forgetMs?: number;
  /** Most clients remembered; the oldest are forgotten first. */
  maxClients?: number;
}

interface Entry {
  failures: number;
  blockedUntil: number;
  lastAt: number;
}

/**
 * Counts failed admin logins per client address, in memory (on Workers that
 * means per isolate). After the free failures each one imposes a wait,
 * doubling up to `maxMs`; a wrong key tried while its address waits is
 * answered 429 instead of 401. It never refuses a right key: whoever holds
 * the admin key gets in, whatever others behind the same address did (the
 * defence against guessing is the key's length, see `authKeyProblem`).
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly free: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly forgetMs: number;
  private readonly maxClients: number;

  constructor(options: LoginThrottleOptions = {}) {
    this.free = options.freeTries ?? 5;
    this.baseMs = options.baseMs ?? 1000;
    this.maxMs = options.maxMs ?? 5 * 60_000;
    this.forgetMs = options.forgetMs ?? 30 * 60_000;
    this.maxClients = options.maxClients ?? 10_000;
  }

  /**
   * Counts a failure of `client`: answers 0 when it was not waiting (a 401),
   * else how many ms it must now wait (a 429 with `Retry-After`).
   */
  failed(client: string, now: number): number {
    let entry = this.entries.get(client);
    if (entry && now - entry.lastAt > this.forgetMs && now >= entry.blockedUntil) entry = undefined;
    const waiting = entry !== undefined && now < entry.blockedUntil;
    entry ??= { failures: 0, blockedUntil: 0, lastAt: now };
    entry.failures++;
    entry.lastAt = now;
    const over = entry.failures - this.free;
    if (over > 0) {
      entry.blockedUntil = Math.max(
        entry.blockedUntil,
        now + Math.min(this.baseMs * 2 ** (over - 1), this.maxMs),
      );
    }
    this.entries.delete(client);
    this.entries.set(client, entry);
    if (this.entries.size > this.maxClients) this.entries.delete(this.entries.keys().next().value as string);
    return waiting ? entry.blockedUntil - now : 0;
  }

  /** The right key came from `client`: it starts afresh. */
  succeeded(client: string): void {
    this.entries.delete(client);
  }
}
