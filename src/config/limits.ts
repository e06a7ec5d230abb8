/**
 * The ranges of every number an admin may set, through the API or the
 * environment: one table, so a value the API refuses cannot come in through
 * a setting either, and the docs quote the same figures.
 */
export const NUMBER_LIMITS = {
  /** Requests per minute of a client key (the limiter keeps one slot per request). */
  rpm: { min: 1, max: 10_000 },
  /** A client key's spending cap, in tokens per period. */
  capTokens: { min: 1, max: 1_000_000_000_000 },
  /** A client key's spending cap, in USD per period (above 0). */
  capCost: { min: 0, max: 1_000_000 },
  maxAttempts: { min: 1, max: 20 },
  upstreamTimeoutMs: { min: 100, max: 600_000 },
  requestDeadlineMs: { min: 100, max: 3_600_000 },
} as const;

/** A range of {@link NUMBER_LIMITS}. */
export interface NumberRange {
  min: number;
  max: number;
}

/** The longest delay a timer can wait (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;
