/**
 * Names and times of the stats records (see docs/storage-schema.md):
 * - `st5:<hour>:<bucket>:<isolate>`: one isolate's 5-minute bucket (and its log lines);
 * - `sth:<hour>`: the hourly roll-up of every isolate's buckets of that hour;
 * - `stu`: the roll-up's progress and the usage per client key it has summed.
 * Times are 13-digit epoch milliseconds, so names sort by time.
 */
export const BUCKET_MS = 5 * 60_000;
export const HOUR_MS = 60 * 60_000;
export const DAY_MS = 24 * HOUR_MS;

export const BUCKET_PREFIX = 'st5:';
export const HOUR_PREFIX = 'sth:';
export const USAGE_NAME = 'stu';

/** 5-minute records live a day and two hours: the day view, plus time for the roll-up. */
export const BUCKET_TTL_S = (DAY_MS + 2 * HOUR_MS) / 1000;
/** Hourly roll-ups live 35 days: the month view. */
export const HOUR_TTL_S = (35 * DAY_MS) / 1000;

export const floorTo = (t: number, step: number) => Math.floor(t / step) * step;
const pad = (t: number) => String(t).padStart(13, '0');

export function bucketName(bucket: number, isolate: string): string {
  return `${BUCKET_PREFIX}${pad(floorTo(bucket, HOUR_MS))}:${pad(bucket)}:${isolate}`;
}

/** The prefix that lists the 5-minute records of one hour. */
export function hourBucketsPrefix(hour: number): string {
  return `${BUCKET_PREFIX}${pad(hour)}:`;
}

export function hourName(hour: number): string {
  return HOUR_PREFIX + pad(hour);
}

/** Bucket start and isolate of a 5-minute record's name, or null. */
export function parseBucketName(name: string): { hour: number; bucket: number; isolate: string } | null {
  const match = /^st5:(\d{13}):(\d{13}):(.+)$/.exec(name);
  return match ? { hour: Number(match[1]), bucket: Number(match[2]), isolate: match[3] } : null;
}

/** `YYYY-MM-DD` (UTC) of a time. */
export const dayKey = (t: number) => new Date(t).toISOString().slice(0, 10);
/** `YYYY-MM` (UTC) of a time. */
export const monthKey = (t: number) => new Date(t).toISOString().slice(0, 7);

/** Start of the next UTC day. */
export function nextUtcDay(t: number): number {
  return floorTo(t, DAY_MS) + DAY_MS;
}

/** Start of the next UTC month. */
export function nextUtcMonth(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
