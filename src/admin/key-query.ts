import type { KeyStatus } from '../keys/key-state';
import type { KeyView } from '../keys/key-view';
import { bad } from '../lib/body-check';

/** What `GET /admin/api/keys?offset=&limit=&q=&status=&sort=` asks for. */
export interface KeyQuery {
  offset: number;
  limit: number;
  /** Lower-cased; matched inside label, hint and id. */
  q: string;
  status: KeyStatus | null;
  /** `checked=false`: only keys no health check has seen yet; `true`: only those it has. */
  checked: boolean | null;
  sort: KeySort;
  desc: boolean;
  /** `fields=id`: answer only the ids (for "select all matching"). */
  idsOnly: boolean;
}

/** The columns a key list sorts by (`sort=-credit` sorts descending). */
export const KEY_SORTS = [
  'created',
  'label',
  'status',
  'credit',
  'usage',
  'checked',
  'error',
  'requests',
] as const;
export type KeySort = (typeof KEY_SORTS)[number];

const STATUSES: readonly KeyStatus[] = ['active', 'cooldown', 'invalid', 'exhausted', 'disabled'];
const PARAMS = ['offset', 'limit', 'q', 'status', 'checked', 'sort', 'fields'];
const MAX_LIMIT = 20_000;

/** Summary of the whole pool, whatever the filter. */
export interface KeyCounts extends Record<KeyStatus, number> {
  all: number;
}

/** The paged answer. */
export interface KeyPage {
  data: KeyView[] | Array<{ id: string }>;
  total: number;
  offset: number;
  limit: number;
  counts: KeyCounts;
  /** Credit left summed over the keys that report a limit; `unlimited` keys have none. */
  credit: { remaining: number; limited: number; unlimited: number; unknown: number };
  /** Keys a health check has seen, and those not yet (their status is the one they started with). */
  checks: { checked: number; unchecked: number };
}

/** The query of a key list request, or null when it has none of the paging parameters (the plain list). */
export function parseKeyQuery(get: (name: string) => string | undefined): KeyQuery | null {
  if (!PARAMS.some((p) => get(p) !== undefined)) return null;
  const offset = intParam(get('offset'), 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
  const limit = intParam(get('limit'), 'limit', 0, MAX_LIMIT, 50);
  const q = (get('q') ?? '').trim().toLowerCase().slice(0, 200);
  const statusText = get('status') ?? '';
  if (statusText && statusText !== 'all' && !STATUSES.includes(statusText as KeyStatus)) {
    throw bad(`"status" must be one of all, ${STATUSES.join(', ')}`);
  }
  const checkedText = get('checked') ?? '';
  if (checkedText && checkedText !== 'true' && checkedText !== 'false')
    throw bad('"checked" must be true or false');
  const sortText = get('sort') || 'created';
  const desc = sortText.startsWith('-');
  const sort = (desc ? sortText.slice(1) : sortText) as KeySort;
  if (!KEY_SORTS.includes(sort))
    throw bad(`"sort" must be one of ${KEY_SORTS.join(', ')} (prefix - to reverse)`);
  const fields = get('fields');
  if (fields !== undefined && fields !== 'id') throw bad('"fields" may only be "id"');
  return {
    offset,
    limit,
    q,
    status: statusText && statusText !== 'all' ? (statusText as KeyStatus) : null,
    checked: checkedText ? checkedText === 'true' : null,
    sort,
    desc,
    idsOnly: fields === 'id',
  };
}

function intParam(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw bad(`"${name}" must be a whole number from ${min} to ${max}`);
  }
  return Number(text);
}

type SortValue = string | number | null;

const SORT_VALUE: Record<KeySort, (k: KeyView) => SortValue> = {
  created: (k) => k.created_at,
  label: (k) => k.label.toLowerCase() || null,
  status: (k) => STATUSES.indexOf(k.status),
  credit: (k) => k.credit?.remaining ?? null,
  usage: (k) => k.credit?.usage ?? null,
  checked: (k) => k.checked_at,
  error: (k) => k.last_error?.at ?? null,
  requests: (k) => k.requests,
};

/** Filters, sorts and pages a pool's views (all in memory: about 10 ms for 10,000 keys). */
export function queryKeys(views: readonly KeyView[], query: KeyQuery): KeyPage {
  const counts: KeyCounts = {
    all: views.length,
    active: 0,
    cooldown: 0,
    invalid: 0,
    exhausted: 0,
    disabled: 0,
  };
  const credit = { remaining: 0, limited: 0, unlimited: 0, unknown: 0 };
  const checks = { checked: 0, unchecked: 0 };
  for (const view of views) {
    counts[view.status]++;
    if (view.checked_at === null) checks.unchecked++;
    else checks.checked++;
    if (!view.credit) credit.unknown++;
    else if (view.credit.limit === null) credit.unlimited++;
    else {
      credit.limited++;
      credit.remaining += view.credit.remaining ?? 0;
    }
  }
  const q = query.q;
  const matching = views.filter(
    (v) =>
      (!query.status || v.status === query.status) &&
      (query.checked === null || (v.checked_at !== null) === query.checked) &&
      (!q || v.label.toLowerCase().includes(q) || v.hint.toLowerCase().includes(q) || v.id.includes(q)),
  );
  const value = SORT_VALUE[query.sort];
  const sign = query.desc ? -1 : 1;
  const keyed = matching.map((view) => ({ view, value: value(view) }));
  keyed.sort((a, b) => {
    // Unknown values go last, whichever the direction.
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
    } else if (a.value !== b.value) return (a.value < b.value ? -1 : 1) * sign;
    return a.view.created_at.localeCompare(b.view.created_at) || a.view.id.localeCompare(b.view.id);
  });
  const page = keyed.slice(query.offset, query.offset + query.limit).map((k) => k.view);
  return {
    data: query.idsOnly ? page.map((v) => ({ id: v.id })) : page,
    total: matching.length,
    offset: query.offset,
    limit: query.limit,
    counts,
    credit: { ...credit, remaining: Math.round(credit.remaining * 1e6) / 1e6 },
    checks,
  };
}
