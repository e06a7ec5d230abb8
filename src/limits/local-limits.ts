import type { ClientKeyRecord } from '../client-keys/client-key-record';
import { RateLimiter } from '../client-keys/rate-limiter';
import { capAdmission, largerSpend } from './cap-admission';
import type { Limits, LimitTicket, Spend } from './limits';
import { capRefusal, rateLimitRefusal } from './refusals';

/** Options of {@link LocalLimits}. */
export interface LocalLimitsOptions {
  /** What the client key's settled requests spent in its cap's period (UTC day or month) until now. */
  used(client: ClientKeyRecord, now: number): Spend;
}

/** What one client key's requests in flight hold, and the most one request spent. */
interface Held {
  inFlight: Spend;
  count: number;
  largest: Spend | null;
}

/**
 * {@link Limits} in memory: exact in one process (Node), per isolate on
 * Workers without a coordinator (Pages in KV mode), and the coordinator's
 * fallback when it cannot be reached.
 */
export class LocalLimits implements Limits {
  private readonly limiter = new RateLimiter();
  private readonly held = new Map<string, Held>();

  constructor(private readonly options: LocalLimitsOptions) {}

  admit(client: ClientKeyRecord, now: number): LimitTicket | null {
    const cap = client.cap;
    let held: Held | undefined;
    let reserve: Spend | null = null;
    if (cap) {
      held = this.held.get(client.id);
      const used = this.options.used(client, now);
      const admission = capAdmission(cap, used, held?.inFlight ?? ZERO, held?.largest ?? null);
      if (!admission.ok) throw capRefusal(cap, used, admission.reason, now);
      reserve = admission.reserve;
    }
    if (client.rpm) {
      const waitMs = this.limiter.take(client.id, client.rpm, now);
      if (waitMs > 0) throw rateLimitRefusal(client.rpm, waitMs);
    }
    if (!reserve) return null;
    if (!held) {
      held = { inFlight: { tokens: 0, cost: 0 }, count: 0, largest: null };
      this.held.set(client.id, held);
    }
    held.inFlight.tokens += reserve.tokens;
    held.inFlight.cost += reserve.cost;
    held.count++;
    return { clientId: client.id, reserved: reserve, settled: false };
  }

  settle(ticket: LimitTicket, usage: Spend | null): void {
    if (ticket.settled) return;
    ticket.settled = true;
    const held = this.held.get(ticket.clientId);
    if (!held) return;
    if (usage) held.largest = largerSpend(held.largest, usage);
    if (--held.count <= 0) {
      held.inFlight = { tokens: 0, cost: 0 };
      held.count = 0;
      if (!held.largest) this.held.delete(ticket.clientId);
      return;
    }
    held.inFlight.tokens = Math.max(0, held.inFlight.tokens - ticket.reserved.tokens);
    held.inFlight.cost = Math.max(0, held.inFlight.cost - ticket.reserved.cost);
  }
}

const ZERO: Spend = { tokens: 0, cost: 0 };
