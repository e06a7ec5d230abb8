/** The filters of the Requests page, as the URL's hash carries them (`#/logs?key=…&status=5xx`). */
export interface LogQuery {
  /** `all`, `success`, `error`, or a class: `2xx`, `4xx`, `5xx`. */
  status: string;
  /** A client key's id, or '' for any. */
  client: string;
  /** A model name (asked or resolved), or '' for any. */
  model: string;
  /** An upstream key's id, or '' for any. */
  key: string;
}

/** The status choices the page offers. */
export const LOG_STATUSES = ['all', 'success', 'error', '2xx', '4xx', '5xx'] as const;

/** The filters in a hash such as `#/logs?key=abc&status=error`; unknown statuses read as `all`. */
export function parseLogQuery(hash: string): LogQuery {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  const status = params.get('status') ?? 'all';
  return {
    status: (LOG_STATUSES as readonly string[]).includes(status) ? status : 'all',
    client: params.get('client') ?? '',
    model: params.get('model') ?? '',
    key: params.get('key') ?? '',
  };
}

/** The query string of a filter, without the empty fields (for the hash and for the admin API). */
export function logQueryString(query: LogQuery): string {
  const params = new URLSearchParams();
  if (query.status !== 'all') params.set('status', query.status);
  for (const name of ['client', 'model', 'key'] as const) if (query[name]) params.set(name, query[name]);
  return params.toString();
}
