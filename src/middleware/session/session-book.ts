import type { Clock } from '../../deps';
import type { Store } from '../../store/types';

/** The stored record (`sessions`): the sign-out generation and the sessions ended before their time. */
export interface SessionRecord {
  epoch: number;
  /** Session id → when it would have expired (ms), kept until then. */
  ended: Record<string, number>;
}

/** Options of {@link SessionBook}. */
export interface SessionBookOptions {
  store: Store;
  clock: Clock;
  /** Re-read the record this often (Workers: other isolates write it); 0: only once (Node). */
  refreshMs: number;
  /** Most ended sessions remembered; past it, every session is ended (the epoch moves on). */
  maxEnded?: number;
}

/** The name of the record. */
export const SESSIONS_RECORD = 'sessions';

/**
 * What the server knows of UI sessions, so that signing out ends a session
 * on the server (the cookie alone is a signed token, valid 12 hours): the
 * ids of sessions ended early, and an epoch that "sign out everywhere" moves
 * on, ending every session issued before.
 */
export class SessionBook {
  private record: SessionRecord = { epoch: 0, ended: {} };
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | null = null;
  private readonly maxEnded: number;

  constructor(private readonly options: SessionBookOptions) {
    this.maxEnded = options.maxEnded ?? 1000;
  }

  /** The epoch a new session belongs to. */
  async epoch(): Promise<number> {
    await this.fresh();
    return this.record.epoch;
  }

  /** Whether a verified session is still open: of the current epoch and not ended. */
  async isOpen(session: { id: string; epoch: number }): Promise<boolean> {
    await this.fresh();
    return session.epoch === this.record.epoch && !(session.id in this.record.ended);
  }

  /** Ends one session (logout). */
  async end(session: { id: string; expiresAt: number }): Promise<void> {
    const now = this.options.clock.now();
    const record = await this.readStored();
    const ended = Object.fromEntries(Object.entries(record.ended).filter(([, until]) => until > now));
    ended[session.id] = session.expiresAt;
    const next =
      Object.keys(ended).length > this.maxEnded
        ? { epoch: record.epoch + 1, ended: {} }
        : { ...record, ended };
    await this.write(next);
  }

  /** Ends every session ("sign out everywhere"). */
  async endAll(): Promise<void> {
    const record = await this.readStored();
    await this.write({ epoch: record.epoch + 1, ended: {} });
  }

  private async readStored(): Promise<SessionRecord> {
    const stored = await this.options.store.get<SessionRecord>(SESSIONS_RECORD);
    return stored && Number.isSafeInteger(stored.epoch) ? stored : { epoch: this.record.epoch, ended: {} };
  }

  private async write(record: SessionRecord): Promise<void> {
    await this.options.store.put(SESSIONS_RECORD, record);
    this.record = record;
    this.loadedAt = this.options.clock.now();
  }

  private fresh(): Promise<void> | void {
    const { clock, refreshMs } = this.options;
    const loaded = this.loadedAt > Number.NEGATIVE_INFINITY;
    if (loaded && (refreshMs <= 0 || clock.now() - this.loadedAt <= refreshMs)) return;
    this.loading ??= this.readStored()
      .then((record) => {
        this.record = record;
        this.loadedAt = clock.now();
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
