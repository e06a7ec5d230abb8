import type { PoolKey } from './key-pool';
import { statusOf } from './key-state';

/** What the admin API shows of an upstream key: never the key itself, only its hint. */
export interface KeyView {
  id: string;
  label: string;
  hint: string;
  enabled: boolean;
  status: ReturnType<typeof statusOf>;
  created_at: string;
  cooldown_until: string | null;
  last_error: { status: number | null; message: string; at: string } | null;
  checked_at: string | null;
  credit: {
    limit: number | null;
    remaining: number | null;
    usage: number | null;
    usage_daily: number | null;
    usage_monthly: number | null;
    limit_reset: string | null;
    is_free_tier: boolean | null;
    expires_at: string | null;
    free_requests_left: number | null;
  } | null;
  requests: number;
  failures: number;
}

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/** The view of a pooled key at `now`; `counts` come from the stats (zero when unknown). */
export function toKeyView(
  key: PoolKey,
  now: number,
  counts?: { requests: number; failures: number },
): KeyView {
  const status = statusOf(key.enabled, key.state, now);
  const error = key.state.lastError;
  const credit = key.credit ?? null;
  return {
    id: key.id,
    label: key.label,
    hint: key.hint,
    enabled: key.enabled,
    status,
    created_at: iso(key.createdAt)!,
    cooldown_until: status === 'cooldown' ? iso(key.state.until) : null,
    last_error: error && { status: error.status, message: error.message, at: iso(error.at)! },
    checked_at: iso(key.checkedAt),
    credit: credit && {
      limit: credit.limit,
      remaining: credit.remaining,
      usage: credit.usage,
      usage_daily: credit.usageDaily,
      usage_monthly: credit.usageMonthly,
      limit_reset: credit.reset,
      is_free_tier: credit.freeTier,
      expires_at: credit.expiresAt,
      free_requests_left: credit.freeRequestsLeft,
    },
    requests: counts?.requests ?? 0,
    failures: counts?.failures ?? 0,
  };
}
