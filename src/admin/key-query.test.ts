import { describe, expect, it } from 'vitest';
import type { KeyView } from '../keys/key-view';
import { parseKeyQuery, queryKeys } from './key-query';

function view(i: number, change: Partial<KeyView> = {}): KeyView {
  return {
    id: `id${String(i).padStart(4, '0')}`,
    label: `key ${i}`,
    hint: `sk-or-v1-…${String(i).padStart(4, '0')}`,
    enabled: true,
    status: 'active',
    created_at: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    cooldown_until: null,
    last_error: null,
    checked_at: null,
    credit: null,
    requests: 0,
    failures: 0,
    ...change,
  };
}

const params = (query: string) => {
  const search = new URLSearchParams(query);
  return (name: string) => search.get(name) ?? undefined;
};

const credit = (remaining: number | null, limit: number | null = 10) => ({
  limit,
  remaining,
  usage: 1,
  usage_daily: 0,
  usage_monthly: 0,
  limit_reset: null,
  is_free_tier: false,
  expires_at: null,
  free_requests_left: null,
});

describe('parseKeyQuery', () => {
  it('is null for the plain list, so the contract answer stays unchanged', () => {
    expect(parseKeyQuery(params(''))).toBeNull();
  });

  it('reads paging, search, status and a descending sort', () => {
    expect(parseKeyQuery(params('offset=100&limit=25&q=Team&status=invalid&sort=-credit'))).toEqual({
      offset: 100,
      limit: 25,
      q: 'team',
      status: 'invalid',
      checked: null,
      sort: 'credit',
      desc: true,
      idsOnly: false,
    });
  });

  it('says what is wrong with a bad parameter', () => {
    expect(() => parseKeyQuery(params('limit=-1'))).toThrow(/"limit" must be a whole number/);
    expect(() => parseKeyQuery(params('status=broken'))).toThrow(/"status" must be one of/);
    expect(() => parseKeyQuery(params('sort=secret'))).toThrow(/"sort" must be one of/);
    expect(() => parseKeyQuery(params('checked=maybe'))).toThrow(/"checked" must be true or false/);
  });
});

describe('queryKeys', () => {
  const views = [
    view(1, { label: 'Team A', status: 'invalid', credit: credit(0) }),
    view(2, { label: 'team b', credit: credit(5) }),
    view(3, { credit: credit(null, null) }),
    view(4, { status: 'disabled', enabled: false }),
    view(5, { label: 'other', credit: credit(2.5) }),
  ];

  it('filters by text in label, hint or id and by status; counts cover the whole pool', () => {
    const page = queryKeys(views, parseKeyQuery(params('q=team'))!);
    expect(page.data.map((v) => v.id)).toEqual(['id0001', 'id0002']);
    expect(page.total).toBe(2);
    expect(page.counts).toEqual({ all: 5, active: 3, cooldown: 0, invalid: 1, exhausted: 0, disabled: 1 });
    expect(page.credit).toEqual({ remaining: 7.5, limited: 3, unlimited: 1, unknown: 1 });
    expect(queryKeys(views, parseKeyQuery(params('q=0004'))!).data.map((v) => v.id)).toEqual(['id0004']);
    expect(queryKeys(views, parseKeyQuery(params('status=disabled'))!).total).toBe(1);
  });

  it('sorts both ways with unknown values last, and pages', () => {
    const desc = queryKeys(views, parseKeyQuery(params('sort=-credit'))!);
    expect(desc.data.map((v) => v.id)).toEqual(['id0002', 'id0005', 'id0001', 'id0003', 'id0004']);
    const asc = queryKeys(views, parseKeyQuery(params('sort=credit'))!);
    expect(asc.data.map((v) => v.id)).toEqual(['id0001', 'id0005', 'id0002', 'id0003', 'id0004']);
    const page = queryKeys(views, parseKeyQuery(params('sort=-created&offset=1&limit=2'))!);
    expect(page.data.map((v) => v.id)).toEqual(['id0004', 'id0003']);
    expect(page.total).toBe(5);
  });

  it('counts checked and unchecked keys apart, and lists the unchecked ones', () => {
    const at = '2026-12-06T12:00:00.000Z';
    const mixed = [view(1, { checked_at: at, credit: credit(3) }), view(2), view(3)];
    const page = queryKeys(mixed, parseKeyQuery(params('checked=false'))!);
    expect(page.checks).toEqual({ checked: 1, unchecked: 2 });
    expect(page.data.map((v) => v.id)).toEqual(['id0002', 'id0003']);
    expect(queryKeys(mixed, parseKeyQuery(params('checked=true'))!).total).toBe(1);
  });

  it('answers only ids when asked', () => {
    const page = queryKeys(views, parseKeyQuery(params('status=active&fields=id&limit=20000'))!);
    expect(page.data).toEqual([{ id: 'id0002' }, { id: 'id0003' }, { id: 'id0005' }]);
  });
});
