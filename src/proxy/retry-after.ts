/**
 * How long upstream asked us to wait, in ms: `retry-after-ms` first, then
 * `Retry-After` as seconds or as an HTTP date; null when it said nothing usable.
 */
export function retryAfterMs(headers: Record<string, string>, now: number): number | null {
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers['retry-after'];
  if (!value) return null;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && /^\s*\d+(\.\d+)?\s*$/.test(value))
    return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** `X-RateLimit-Reset` (ms since the epoch, as OpenRouter sends it; seconds accepted), or null. */
export function rateLimitResetAt(headers: Record<string, string>, now: number): number | null {
  const raw = Number(headers['x-ratelimit-reset']);
  if (!Number.isFinite(raw) || raw <= 0) return null;
  const at = raw < 1e11 ? raw * 1000 : raw;
  return at > now ? at : null;
}
