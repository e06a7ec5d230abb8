import type { SpendCap } from '../client-keys/client-key-record';
import type { Spend } from '../limits/limits';

/**
 * What isolates and the coordinator (the Workers deployment's Durable
 * Object) say to each other: one call carries any of a store operation, an
 * admission, settlements and the isolate's sync mark, so that a proxied
 * request costs at most one call, and every answer brings the changes the
 * isolate has not seen.
 */
export interface CoordinatorRequest {
  /** The last change this isolate applied; the answer brings what changed since. */
  since?: SyncMark;
  admit?: AdmitRequest;
  settle?: SettleItem[];
  store?: StoreOp;
}

/** The answer to a {@link CoordinatorRequest}. */
export interface CoordinatorAnswer {
  sync?: SyncAnswer;
  admit?: AdmitAnswer;
  store?: unknown;
}

/** A place in the coordinator's change feed: its boot (a restart starts a new feed) and a sequence number. */
export interface SyncMark {
  boot: string;
  seq: number;
}

/** One stored entry as the feed carries it; `value` null when it was deleted. */
export interface ChangedEntry {
  name: string;
  value: unknown;
  meta: unknown;
}

/** The changes since a mark, or `reload` when they are too many or the mark is from another boot. */
export interface SyncAnswer extends SyncMark {
  reload: boolean;
  entries: ChangedEntry[];
}

/** A request to let through under a client key's rpm and cap. */
export interface AdmitRequest {
  client: string;
  rpm: number | null;
  cap: SpendCap | null;
  /** What this isolate's stats saw spent in the cap's period: a floor for the coordinator's count. */
  seen: Spend | null;
}

/**
 * Let in (with a ticket to settle when a cap was reserved; `whole` when it holds all the room left,
 * no request of the key being known yet: settle it at once), or refused and why.
 */
export type AdmitAnswer =
  | { ok: true; ticket: number | null; reserved: Spend; period?: string; whole?: boolean }
  | { ok: false; rpmWaitMs: number }
  | { ok: false; cap: 'reached' | 'in_flight'; used: Spend };

/**
 * The end of an admitted request: its ticket and real usage (null: none known), with its client
 * key and cap period, so that the usage counts even when the coordinator restarted meanwhile.
 */
export interface SettleItem {
  ticket: number;
  usage: Spend | null;
  client?: string;
  period?: string;
}

/** A Store call, run by the coordinator on its SQLite storage. */
export type StoreOp =
  | { op: 'get'; name: string }
  | { op: 'gets'; names: string[] }
  | { op: 'put'; entries: StoredEntry[] }
  | { op: 'delete'; name: string }
  | { op: 'list'; prefix: string; cursor: string | null; limit: number }
  | { op: 'patch'; name: string; fields: Record<string, unknown> };

/** An entry to write: its JSON, its meta's JSON, and when it expires (ms) or null. */
export interface StoredEntry {
  name: string;
  json: string;
  metaJson: string | null;
  expiresAt: number | null;
}

/** The records every isolate holds in memory: their changes go into the coordinator's feed. */
export const SYNCED_PREFIXES = ['key:', 'ks:', 'ck:'] as const;
export const SYNCED_NAMES = ['settings', 'modelmap'] as const;

/** Whether a change of this name is sent to the isolates. */
export function isSyncedName(name: string): boolean {
  return (
    SYNCED_PREFIXES.some((p) => name.startsWith(p)) || (SYNCED_NAMES as readonly string[]).includes(name)
  );
}
