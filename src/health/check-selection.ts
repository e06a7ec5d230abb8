import type { KeyHealth } from '../keys/key-state';

/** What the selection needs to know of a key. */
export interface CheckCandidate {
  id: string;
  enabled: boolean;
  health: KeyHealth;
  /** For `exhausted`: when its credit resets (null: unknown). */
  until: number | null;
  /** Last check (null: never). */
  checkedAt: number | null;
}

/** How often keys are checked again, by health. */
export interface CheckPolicy {
  /** Active keys (and keys cooling down): their credit and validity. */
  activeMs: number;
  /** Invalid keys: a revoked key seldom comes back. */
  invalidMs: number;
  /** Exhausted keys whose reset time is unknown (known: right after it). */
  exhaustedMs: number;
}

export const DEFAULT_CHECK_POLICY: CheckPolicy = {
  activeMs: 60 * 60_000,
  invalidMs: 6 * 60 * 60_000,
  exhaustedMs: 6 * 60 * 60_000,
};

/**
 * How much a key needs a check (lower first), or null when it needs none:
 * never checked (0), exhausted past its reset (1), active (2), invalid (3).
 * Disabled keys are never checked on schedule.
 */
export function checkRank(key: CheckCandidate, now: number, policy: CheckPolicy): number | null {
  if (!key.enabled) return null;
  if (key.checkedAt === null) return 0;
  const age = now - key.checkedAt;
  switch (key.health) {
    case 'exhausted':
      if (key.until !== null && key.until > now) return null;
      if (key.until !== null && key.checkedAt < key.until) return 1;
      return age >= policy.exhaustedMs ? 1 : null;
    case 'invalid':
      return age >= policy.invalidMs ? 3 : null;
    default:
      return age >= policy.activeMs ? 2 : null;
  }
}

/**
 * The keys to check in one run, most in need first, at most `limit`: by rank,
 * then the oldest check first. `all` takes every key (disabled ones too,
 * for the admin's "check now"), in the same order. O(n log n) over the pool.
 */
export function selectKeysToCheck<K extends CheckCandidate>(
  keys: Iterable<K>,
  now: number,
  limit: number,
  options: { all?: boolean; policy?: CheckPolicy } = {},
): K[] {
  const policy = options.policy ?? DEFAULT_CHECK_POLICY;
  const ranked: Array<{ key: K; rank: number }> = [];
  for (const key of keys) {
    const rank = checkRank(key, now, policy) ?? (options.all ? 4 : null);
    if (rank !== null) ranked.push({ key, rank });
  }
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      (a.key.checkedAt ?? -1) - (b.key.checkedAt ?? -1) ||
      a.key.id.localeCompare(b.key.id),
  );
  return ranked.slice(0, Math.max(0, limit)).map((r) => r.key);
}
