/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Tries a client gets before waits begin. */
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
  tries: number;
  blockedUntil: number;
  lastAt: number;
}

/**
 * Slows down guessing the admin key, per client, in memory (on Workers that
 * means per isolate). Every try counts as a failure from the moment it
 * starts, so parallel guesses count too; a success forgets the client. After
 * the free tries each try imposes a wait before the next, doubling up to `maxMs`.
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

  /** Starts a try: null when the client may try now, else how many ms it must wait first. */
  begin(client: string, now: number): number | null {
    let entry = this.entries.get(client);
    if (entry && now - entry.lastAt > this.forgetMs && now >= entry.blockedUntil) entry = undefined;
    if (entry && now < entry.blockedUntil) return entry.blockedUntil - now;
    entry ??= { tries: 0, blockedUntil: 0, lastAt: now };
    entry.tries++;
    entry.lastAt = now;
    const over = entry.tries - this.free;
    if (over > 0) entry.blockedUntil = now + Math.min(this.baseMs * 2 ** (over - 1), this.maxMs);
    this.entries.delete(client);
    this.entries.set(client, entry);
    if (this.entries.size > this.maxClients) this.entries.delete(this.entries.keys().next().value as string);
    return null;
  }

  /** The try succeeded: the client starts afresh. */
  succeeded(client: string): void {
    this.entries.delete(client);
  }
}
