import type { ClientKeyRecord } from '../client-keys/client-key-record';
import type { AppError } from '../errors';
import type { Limits, LimitTicket, Spend } from '../limits/limits';
import type { LocalLimits } from '../limits/local-limits';
import { capRefusal, rateLimitRefusal } from '../limits/refusals';
import type { CoordinatorLink } from './coordinator-link';

/** Options of {@link CoordinatedLimits}. */
export interface CoordinatedLimitsOptions {
  link: CoordinatorLink;
  /** This isolate's own limits, used while the coordinator cannot be reached. */
  fallback: LocalLimits;
  /** What this isolate's stats saw the key spend in its cap's period (a floor for the coordinator), or null. */
  seen(client: ClientKeyRecord): Spend | null;
  /**
   * Why the key may not be used as of the changes the admission's answer brought (deleted,
   * disabled or expired since it was let in from memory), or null.
   */
  refusalNow(client: ClientKeyRecord, now: number): AppError | null;
}

/** A ticket of the coordinator (`remote`), or of the fallback (`local`). */
interface CoordinatedTicket extends LimitTicket {
  remote: number | null;
  /** The cap's period the coordinator counted it in. */
  period: string | null;
  /** It holds all the cap's room: settled at once, not with a later call. */
  whole: boolean;
  local: LimitTicket | null;
}

/**
 * {@link Limits} held by the coordinator, the same for every isolate: one
 * call per request of a key with an rpm or a cap (none for the others), the
 * settlement sent later with another call. When the coordinator does not
 * answer in time, this isolate's own limits decide.
 */
export class CoordinatedLimits implements Limits {
  constructor(private readonly options: CoordinatedLimitsOptions) {}

  admit(client: ClientKeyRecord, now: number): LimitTicket | null | Promise<LimitTicket | null> {
    if (!client.rpm && !client.cap) return null;
    if (!this.options.link.available) return this.local(client, now);
    return this.remote(client, now);
  }

  private async remote(client: ClientKeyRecord, now: number): Promise<LimitTicket | null> {
    let answer: Awaited<ReturnType<CoordinatorLink['send']>>;
    try {
      answer = await this.options.link.send({
        admit: {
          client: client.id,
          rpm: client.rpm,
          cap: client.cap,
          seen: client.cap ? this.options.seen(client) : null,
        },
      });
    } catch {
      return this.local(client, now);
    }
    const admit = answer.admit;
    // The answer's changes are applied: a key revoked meanwhile is refused, its reservation freed.
    const revoked = this.options.refusalNow(client, now);
    if (revoked) {
      if (admit?.ok && admit.ticket !== null) this.options.link.settle({ ticket: admit.ticket, usage: null });
      throw revoked;
    }
    if (!admit) return this.local(client, now);
    if (!admit.ok) {
      if ('rpmWaitMs' in admit) throw rateLimitRefusal(client.rpm ?? 0, admit.rpmWaitMs);
      if (client.cap) throw capRefusal(client.cap, admit.used, admit.cap, now);
      return null;
    }
    if (admit.ticket === null) return null;
    const ticket: CoordinatedTicket = {
      clientId: client.id,
      reserved: admit.reserved,
      settled: false,
      remote: admit.ticket,
      period: admit.period ?? null,
      whole: admit.whole === true,
      local: null,
    };
    return ticket;
  }

  private local(client: ClientKeyRecord, now: number): LimitTicket | null {
    const local = this.options.fallback.admit(client, now);
    if (!local) return null;
    const ticket: CoordinatedTicket = { ...local, remote: null, period: null, whole: false, local };
    return ticket;
  }

  settle(ticket: LimitTicket, usage: Spend | null): void {
    if (ticket.settled) return;
    ticket.settled = true;
    const { remote, local, whole, period } = ticket as CoordinatedTicket;
    if (local) this.options.fallback.settle(local, usage);
    if (remote === null || remote === undefined) return;
    this.options.link.settle(
      period ? { ticket: remote, usage, client: ticket.clientId, period } : { ticket: remote, usage },
    );
    if (whole) this.options.link.flushNow();
  }

  flush(): Promise<void> | null {
    return this.options.link.flushSoon();
  }
}
