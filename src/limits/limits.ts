import type { ClientKeyRecord } from '../client-keys/client-key-record';

/** Tokens and cost (USD) of a request, or of what requests in flight may spend. */
export interface Spend {
  tokens: number;
  cost: number;
}

/**
 * What a request admitted under a spending cap holds until it is settled:
 * the part of the cap reserved for it. Settle it exactly once.
 */
export interface LimitTicket {
  readonly clientId: string;
  readonly reserved: Spend;
  /** Set by `settle`; a second settle does nothing. */
  settled: boolean;
}

/**
 * The client keys' request-rate limits and spending caps, checked before a
 * request goes upstream and settled after it. Node holds them in memory (one
 * process, exact); a Workers deployment with a coordinator holds them in its
 * Durable Object, the same across isolates (see docs/architecture.md).
 */
export interface Limits {
  /**
   * Lets the request in or throws the refusal (an `AppError` 429): the rpm
   * window, then the cap with what requests in flight have reserved. Answers
   * the ticket to settle, or null when nothing was reserved (no cap).
   * Synchronous when the answer is in memory.
   */
  admit(client: ClientKeyRecord, now: number): LimitTicket | null | Promise<LimitTicket | null>;
  /**
   * Ends the reservation with the request's real usage (null: none known,
   * nothing charged), off the answer's path. The usage itself is counted by the
   * stats from the request's record on Node, by the coordinator on Workers.
   */
  settle(ticket: LimitTicket, usage: Spend | null): void;
  /** Sends what settlements wait for, after the answer (for `waitUntil`); null when nothing waits. */
  flush?(): Promise<void> | null;
}
