import type { LogEntry } from './log-entry';

/** What `GET /admin/api/logs` filters on; every field is optional (null: any). */
export interface LogFilter {
  /** `error`, `success`, a class such as `4xx`, or one status code. */
  status: string | null;
  /** A client key's id. */
  client: string | null;
  /** A model name, as asked or as resolved. */
  model: string | null;
  /** An upstream key's id: requests that tried it, whether or not it answered. */
  key: string | null;
}

/** The `status` values the filter takes. */
export const LOG_STATUS_PATTERN = /^(error|success|[1-5]xx|\d{3})$/;

/** Whether an entry passes the `status` filter: failures, successes, a class (`5xx`) or one code. */
export function matchesStatus(entry: LogEntry, filter: string | null): boolean {
  if (!filter) return true;
  if (filter === 'error') return entry.error_class !== null;
  if (filter === 'success') return entry.error_class === null;
  if (filter.endsWith('xx')) return Math.floor(entry.status / 100) === Number(filter[0]);
  return String(entry.status) === filter;
}

/** Whether an entry passes every field of a filter. */
export function matchesLog(entry: LogEntry, filter: LogFilter): boolean {
  if (!matchesStatus(entry, filter.status)) return false;
  if (filter.client !== null && entry.client_id !== filter.client) return false;
  if (filter.model !== null && entry.model !== filter.model && entry.resolved_model !== filter.model)
    return false;
  if (filter.key !== null && entry.key_id !== filter.key && !entry.tries.some((t) => t.key_id === filter.key))
    return false;
  return true;
}
