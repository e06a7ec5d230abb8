import { api } from '../../lib/api';
import { chunks } from '../../lib/key-list';

/** What a bulk action can do. */
export type BulkAction = 'enable' | 'disable' | 'delete' | 'check';

interface BulkAnswer {
  done: number;
  missing: number;
  remaining?: number;
}

/** Ids per bulk call (the server takes at most 400). */
const CHUNK = 250;

/** Runs an action over many keys, a chunk per call; reports progress after each. */
export async function runBulk(
  ids: readonly string[],
  action: BulkAction,
  onProgress: (done: number) => void,
): Promise<{ done: number; missing: number }> {
  let done = 0;
  let missing = 0;
  let sent = 0;
  for (const part of chunks(ids, CHUNK)) {
    let rest = part;
    // A Worker checks a limited number of keys per call and says how many of the last it left.
    for (let round = 0; rest.length > 0 && round < 1000; round++) {
      const answer = await api.post<BulkAnswer>('/admin/api/keys/bulk', { ids: rest, action });
      done += answer.done;
      missing += answer.missing;
      const left = answer.remaining ?? 0;
      if (left >= rest.length) throw new Error(`the server made no progress on ${left} keys`);
      sent += rest.length - left;
      onProgress(sent);
      rest = left > 0 ? rest.slice(rest.length - left) : [];
    }
  }
  return { done, missing };
}

/** The ids of every key that matches a filter (for "select all matching"). */
export async function matchingIds(query: URLSearchParams): Promise<string[]> {
  const params = new URLSearchParams(query);
  params.set('fields', 'id');
  params.set('offset', '0');
  params.set('limit', '20000');
  const page = await api.get<{ data: Array<{ id: string }> }>(`/admin/api/keys?${params}`);
  return page.data.map((k) => k.id);
}
