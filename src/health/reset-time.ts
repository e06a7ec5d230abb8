const DAY_MS = 24 * 60 * 60_000;

/**
 * When a key's credit limit resets next, from OpenRouter's `limit_reset`
 * (`daily`, `weekly`, `monthly`, or null for never), in UTC: the next
 * midnight, the next Monday's midnight, the first of the next month.
 * Null when it never resets or the value is unknown.
 */
export function nextResetAt(reset: string | null, now: number): number | null {
  if (!reset) return null;
  const day = Math.floor(now / DAY_MS) * DAY_MS;
  switch (reset.toLowerCase()) {
    case 'daily':
      return day + DAY_MS;
    case 'weekly': {
      const weekday = new Date(day).getUTCDay();
      const untilMonday = (8 - weekday) % 7 || 7;
      return day + untilMonday * DAY_MS;
    }
    case 'monthly': {
      const d = new Date(now);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
    default:
      return null;
  }
}
