import { describe, expect, it } from 'vitest';
import { memorySql } from '../../test/coordinator/sqlite-adapter';
import { CoordinatorCore, LIMITS_KEEP_MS } from './coordinator-core';

const put = (name: string, value: unknown) => ({
  name,
  json: JSON.stringify(value),
  metaJson: JSON.stringify(value),
  expiresAt: null,
});

function core(now = () => 1_000_000) {
  return new CoordinatorCore({ sql: memorySql(), now });
}

describe('CoordinatorCore', () => {
  it('sends a reload to a mark of another boot, then the changed entries with their current values', () => {
    const c = core();
    const first = c.handle({ since: { boot: '', seq: 0 } }).sync;
    expect(first).toMatchObject({ boot: c.boot, reload: true });
    c.handle({ store: { op: 'put', entries: [put('key:a', { l: 'one' }), put('ck:x', { name: 'x' })] } });
    c.handle({ store: { op: 'patch', name: 'key:a', fields: { l: 'two' } } });
    const next = c.handle({ since: { boot: c.boot, seq: first?.seq ?? 0 } }).sync;
    expect(next?.reload).toBe(false);
    expect(next?.entries).toEqual(
      expect.arrayContaining([
        { name: 'key:a', value: { l: 'two' }, meta: { l: 'two' } },
        { name: 'ck:x', value: { name: 'x' }, meta: { name: 'x' } },
      ]),
    );
    c.handle({ store: { op: 'delete', name: 'ck:x' } });
    expect(c.handle({ since: { boot: c.boot, seq: next?.seq ?? 0 } }).sync?.entries).toEqual([
      { name: 'ck:x', value: null, meta: null },
    ]);
  });

  it('patches only the fields named, on top of what is stored', () => {
    const c = core();
    c.handle({ store: { op: 'put', entries: [put('key:a', { l: 'x', e: 1, s: 'secret' })] } });
    c.handle({ store: { op: 'patch', name: 'key:a', fields: { e: 0 } } });
    c.handle({ store: { op: 'patch', name: 'key:a', fields: { l: 'renamed' } } });
    expect(c.handle({ store: { op: 'get', name: 'key:a' } }).store).toEqual({
      l: 'renamed',
      e: 0,
      s: 'secret',
    });
    expect(c.handle({ store: { op: 'patch', name: 'key:none', fields: { e: 0 } } }).store).toBeNull();
  });

  it('lists a prefix in pages, in byte order', () => {
    const c = core();
    c.handle({
      store: { op: 'put', entries: ['key:c', 'key:a', 'ks:a', 'key:b'].map((n) => put(n, { n })) },
    });
    const page = c.handle({ store: { op: 'list', prefix: 'key:', cursor: null, limit: 2 } }).store as {
      entries: Array<{ name: string }>;
      cursor: string;
    };
    expect(page.entries.map((e) => e.name)).toEqual(['key:a', 'key:b']);
    const rest = c.handle({ store: { op: 'list', prefix: 'key:', cursor: page.cursor, limit: 2 } }).store;
    expect(rest).toEqual({ entries: [{ name: 'key:c', meta: { n: 'key:c' } }], cursor: null });
  });

  it('holds rpm across callers and a cap to what was in flight; settles in one row write per client', () => {
    let t = 1_000_000;
    const c = core(() => t);
    const rpm = Array.from(
      { length: 8 },
      () => c.handle({ admit: { client: 'r', rpm: 6, cap: null, seen: null } }).admit,
    );
    expect(rpm.filter((a) => a?.ok)).toHaveLength(6);
    const cap = { period: 'day' as const, tokens: 100, cost: null };
    const first = c.handle({ admit: { client: 'c', rpm: null, cap, seen: null } }).admit;
    expect(first).toMatchObject({ ok: true, reserved: { tokens: 100 } });
    expect(c.handle({ admit: { client: 'c', rpm: null, cap, seen: null } }).admit).toMatchObject({
      ok: false,
      cap: 'in_flight',
    });
    const before = c.rowsWritten;
    const ticket = first?.ok ? (first.ticket as number) : 0;
    c.handle({
      settle: [
        { ticket, usage: { tokens: 30, cost: 0 } },
        { ticket, usage: { tokens: 30, cost: 0 } },
      ],
    });
    expect(c.rowsWritten - before).toBe(1);
    // 30 used, the largest request 30: two fit (30 + 30 + 30 < 100 is room), the fourth not.
    const more = Array.from(
      { length: 4 },
      () => c.handle({ admit: { client: 'c', rpm: null, cap, seen: null } }).admit,
    );
    expect(more.map((a) => a?.ok)).toEqual([true, true, true, false]);
    // What an isolate saw spent is a floor.
    expect(
      c.handle({ admit: { client: 'd', rpm: null, cap, seen: { tokens: 100, cost: 0 } } }).admit,
    ).toMatchObject({ ok: false, cap: 'reached' });
    t += 60_001;
    expect(c.handle({ admit: { client: 'r', rpm: 6, cap: null, seen: null } }).admit?.ok).toBe(true);
  });

  it('a restart keeps the rpm windows and reservations last kept, and counts a settlement of a ticket it never held', () => {
    let t = 1_000_000;
    const sql = memorySql();
    const a = new CoordinatorCore({ sql, now: () => t });
    const cap = { period: 'day' as const, tokens: 100, cost: null };
    for (let n = 0; n < 3; n++)
      expect(a.handle({ admit: { client: 'r', rpm: 3, cap: null, seen: null } }).admit?.ok).toBe(true);
    // Learn the largest request (30), then one in flight holding 30.
    const first = a.handle({ admit: { client: 'c', rpm: null, cap, seen: null } }).admit;
    const firstTicket = first?.ok ? (first.ticket as number) : 0;
    a.handle({ settle: [{ ticket: firstTicket, usage: { tokens: 30, cost: 0 } }] });
    const held = a.handle({ admit: { client: 'c', rpm: null, cap, seen: null } }).admit;
    expect(held).toMatchObject({ ok: true, reserved: { tokens: 30 }, period: expect.any(String) });
    t += LIMITS_KEEP_MS;
    a.handle({ since: { boot: a.boot, seq: 0 } });
    // Admitted after the last keeping: lost by the restart, but its settlement still counts.
    const late = a.handle({ admit: { client: 'c', rpm: null, cap, seen: null } }).admit;

    t += 1000;
    const b = new CoordinatorCore({ sql, now: () => t });
    expect(b.handle({ admit: { client: 'r', rpm: 3, cap: null, seen: null } }).admit).toMatchObject({
      ok: false,
    });
    // 30 used + 30 held (the late one is not known): room 40, so two more (30 each) go, then none.
    const again = [0, 1, 2].map(() => b.handle({ admit: { client: 'c', rpm: null, cap, seen: null } }).admit);
    expect(again.map((x) => x?.ok)).toEqual([true, true, false]);
    const settle = (x: typeof held) =>
      x?.ok
        ? { ticket: x.ticket as number, usage: { tokens: 30, cost: 0 }, client: 'c', period: x.period }
        : { ticket: 0, usage: null };
    // The held one and the late one settle with the new run; the same settlement sent twice counts once.
    b.handle({ settle: [settle(held), settle(late), settle(late)] });
    b.handle({ settle: [settle(again[0]), settle(again[1])] });
    const used = b.handle({ admit: { client: 'c', rpm: null, cap, seen: null } }).admit;
    expect(used).toMatchObject({ ok: false, cap: 'reached', used: { tokens: 150 } });
    // New tickets never reuse an earlier run's numbers.
    const ids = [first, held, late].map((x) => (x?.ok ? x.ticket : null));
    expect(ids).not.toContain(again[0]?.ok ? again[0].ticket : null);
    t += 60_000;
    expect(b.handle({ admit: { client: 'r', rpm: 3, cap: null, seen: null } }).admit?.ok).toBe(true);
  });

  it('an object made before the limits were kept gets their columns, its spend kept', () => {
    const sql = memorySql();
    sql.exec(
      'CREATE TABLE spend (client TEXT PRIMARY KEY, period TEXT NOT NULL, tokens REAL NOT NULL, cost REAL NOT NULL, ltokens REAL, lcost REAL) WITHOUT ROWID',
    );
    const t = Date.UTC(2026, 0, 5);
    sql.exec('INSERT INTO spend VALUES (?, ?, ?, ?, ?, ?)', 'c', 'd:2026-01-05', 100, 0, 50, 0);
    const c = new CoordinatorCore({ sql, now: () => t });
    const cap = { period: 'day' as const, tokens: 100, cost: null };
    expect(c.handle({ admit: { client: 'c', rpm: null, cap, seen: null } }).admit).toMatchObject({
      ok: false,
      cap: 'reached',
    });
  });

  it('keeps the limits in a spend row the call writes anyway, and an older keeping goes when its row is written again', () => {
    let t = 1_000_000;
    const sql = memorySql();
    const c = new CoordinatorCore({ sql, now: () => t });
    const cap = { period: 'day' as const, tokens: null, cost: 100 };
    const admitAndSettle = (client: string) => {
      const a = c.handle({ admit: { client, rpm: 5, cap, seen: null } }).admit;
      const ticket = a?.ok ? (a.ticket as number) : 0;
      t += LIMITS_KEEP_MS;
      // The settlement rides with another call that admits: the keeping goes into its spend row.
      const before = c.rowsWritten;
      c.handle({
        settle: [{ ticket, usage: { tokens: 1, cost: 1 }, client, period: a?.ok ? a.period : '' }],
        admit: { client: 'other', rpm: 5, cap: null, seen: null },
      });
      return c.rowsWritten - before;
    };
    expect(admitAndSettle('a')).toBe(1);
    expect(admitAndSettle('b')).toBe(1);
    const keptRows = () =>
      sql
        .exec('SELECT client FROM spend WHERE kept IS NOT NULL ORDER BY client')
        .toArray()
        .map((r) => r.client);
    expect(keptRows()).toEqual(['a', 'b']);
    // a's row written again without a keeping due: its older keeping goes, b's (the newest) stays.
    const again = c.handle({ admit: { client: 'a', rpm: 5, cap, seen: null } }).admit;
    c.handle({
      settle: [{ ticket: again?.ok ? (again.ticket as number) : 0, usage: { tokens: 1, cost: 1 } }],
    });
    expect(keptRows()).toEqual(['b']);
    // A restart takes back the newest keeping (b's row): both of other's stamps are in it (a's has one).
    const d = new CoordinatorCore({ sql, now: () => t });
    const taken = Array.from(
      { length: 5 },
      () => d.handle({ admit: { client: 'other', rpm: 2, cap: null, seen: null } }).admit?.ok,
    );
    expect(taken.filter(Boolean)).toHaveLength(0);
  });
});
