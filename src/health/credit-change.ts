import type { KeyCredit } from '../keys/key-records';

/** A day: the longest a key's unchanged check goes unwritten. */
export const REFRESH_WRITE_MS = 24 * 60 * 60_000;

/** Share of the limit the remaining credit must move by to be worth a write. */
const REMAINING_STEP = 0.1;

/**
 * Whether what a check learned differs enough from what is stored to spend a
 * write on it: the limit, its reset, the tier or the expiry changed; credit
 * appeared, vanished, ran out or came back; or it moved by a tenth of the
 * limit; or the free-model requests ran out or came back. Usage alone moves
 * with every request and is written only with the daily refresh.
 */
export function creditChangedMaterially(before: KeyCredit | null, after: KeyCredit | null): boolean {
  if (!before || !after) return before !== after;
  if (
    before.limit !== after.limit ||
    before.reset !== after.reset ||
    before.freeTier !== after.freeTier ||
    before.expiresAt !== after.expiresAt
  )
    return true;
  if ((before.remaining === null) !== (after.remaining === null)) return true;
  if (before.remaining !== null && after.remaining !== null) {
    if (before.remaining <= 0 !== after.remaining <= 0) return true;
    const scale = Math.max(after.limit ?? 0, 1);
    if (Math.abs(before.remaining - after.remaining) >= REMAINING_STEP * scale) return true;
  }
  return (before.freeRequestsLeft === 0) !== (after.freeRequestsLeft === 0);
}

/**
 * Whether a check's outcome is written: always when the key's health changed
 * or its credit changed materially, else when its last written check is a
 * day old (or was never written).
 */
export function shouldWriteCheck(options: {
  healthChanged: boolean;
  before: KeyCredit | null;
  after: KeyCredit | null;
  writtenAt: number | null;
  now: number;
}): boolean {
  if (options.healthChanged) return true;
  if (options.after && creditChangedMaterially(options.before, options.after)) return true;
  return options.writtenAt === null || options.now - options.writtenAt >= REFRESH_WRITE_MS;
}
