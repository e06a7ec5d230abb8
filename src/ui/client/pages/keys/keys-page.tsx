/** @jsxImportSource hono/jsx/dom */
import { useEffect } from 'hono/jsx/dom';
import { Empty, ErrorBox, Pager, SearchBox, Spinner } from '../../components/bits';
import { confirmDialog } from '../../components/confirm';
import { Icon } from '../../components/icons';
import { toast } from '../../components/toast';
import { t } from '../../i18n';
import { api } from '../../lib/api';
import { num } from '../../lib/format';
import { useDebounced, useLoad, useSafeState } from '../../lib/hooks';
import { KEY_STATUSES, type KeyPage, type KeyStatus, type KeyView } from '../../lib/types';
import { type BulkAction, matchingIds, runBulk } from './bulk';
import { BulkBar } from './bulk-bar';
import { ImportDialog } from './import-dialog';
import { KeysTable } from './keys-table';

/** What the chips filter by: a status, every key, or the keys no health check has seen yet. */
type KeyFilter = KeyStatus | 'all' | 'unchecked';

function statusFromHash(): KeyFilter {
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  if (query.get('checked') === 'false') return 'unchecked';
  const status = query.get('status');
  return KEY_STATUSES.includes(status as KeyStatus) ? (status as KeyStatus) : 'all';
}

/** The pool of upstream keys: import, find, sort, page, and act on one or many. */
export function KeysPage() {
  const [q, setQ] = useSafeState('');
  const [status, setStatus] = useSafeState<KeyFilter>(statusFromHash());
  const [sort, setSort] = useSafeState('-created');
  const [offset, setOffset] = useSafeState(0);
  const [limit, setLimit] = useSafeState(50);
  const [selected, setSelected] = useSafeState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useSafeState(false);
  const [bulk, setBulk] = useSafeState<{ action: BulkAction; done: number; total: number } | null>(null);
  const [busyRows, setBusyRows] = useSafeState<Set<string>>(new Set());
  const [importing, setImporting] = useSafeState(false);
  const qd = useDebounced(q.trim(), 250);

  const query = () => {
    const params = new URLSearchParams({ offset: String(offset), limit: String(limit), sort });
    if (qd) params.set('q', qd);
    if (status === 'unchecked') params.set('checked', 'false');
    else if (status !== 'all') params.set('status', status);
    return params;
  };
  const page = useLoad(
    () => api.get<KeyPage>(`/admin/api/keys?${query()}`),
    [qd, status, sort, offset, limit],
  );

  // A new filter starts on the first page with nothing selected.
  useEffect(() => {
    setOffset(0);
    setSelected(new Set());
    setAllMatching(false);
  }, [qd, status, sort]);

  const rows = page.data?.data ?? [];
  const total = page.data?.total ?? 0;
  const counts = page.data?.counts;
  const selectedCount = allMatching ? total : selected.size;

  const select = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
    setAllMatching(false);
  };
  const selectPage = (on: boolean) => {
    const next = new Set(selected);
    for (const row of rows) on ? next.add(row.id) : next.delete(row.id);
    setSelected(next);
    setAllMatching(false);
  };
  const clearSelection = () => {
    setSelected(new Set());
    setAllMatching(false);
  };

  const confirmDelete = (n: number) =>
    confirmDialog({
      title: t('keys.deleteTitle', { n }),
      message: t('keys.deleteText', { n }),
      confirm: t('common.delete'),
      danger: true,
    });

  const runOnSelection = async (action: BulkAction) => {
    if (bulk) return;
    if (action === 'delete' && !(await confirmDelete(selectedCount))) return;
    try {
      const ids = allMatching ? await matchingIds(query()) : [...selected];
      setBulk({ action, done: 0, total: ids.length });
      const result = await runBulk(ids, action, (done) => setBulk({ action, done, total: ids.length }));
      toast.ok(t(`keys.bulkDone.${action}`, { n: result.done }));
      clearSelection();
    } catch (err) {
      toast.error(err instanceof Error ? err.message : String(err));
    } finally {
      setBulk(null);
      page.reload();
    }
  };

  const runOnRow = async (key: KeyView, action: BulkAction) => {
    if (action === 'delete' && !(await confirmDelete(1))) return;
    setBusyRows(new Set([...busyRows, key.id]));
    try {
      if (action === 'delete') await api.del(`/admin/api/keys/${encodeURIComponent(key.id)}`);
      else if (action === 'check') await runBulk([key.id], 'check', () => {});
      else await api.patch(`/admin/api/keys/${encodeURIComponent(key.id)}`, { enabled: action === 'enable' });
      toast.ok(t(`keys.rowDone.${action}`, { hint: key.hint }));
      if (action === 'delete') select(key.id, false);
    } catch (err) {
      toast.error(err instanceof Error ? err.message : String(err));
    } finally {
      setBusyRows((prev) => {
        const next = new Set(prev);
        next.delete(key.id);
        return next;
      });
      page.reload();
    }
  };

  // Every key, through the bulk endpoint: progress shows, and a Worker's per-call limit is respected.
  const checkAll = async () => {
    if (bulk) return;
    try {
      const ids = await matchingIds(new URLSearchParams({ sort }));
      setBulk({ action: 'check', done: 0, total: ids.length });
      const result = await runBulk(ids, 'check', (done) =>
        setBulk({ action: 'check', done, total: ids.length }),
      );
      toast.ok(t('keys.checkedAll', { n: result.done }));
    } catch (err) {
      toast.error(err instanceof Error ? err.message : String(err));
    } finally {
      setBulk(null);
      page.reload();
    }
  };

  const pageAllSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  return (
    <div class="page keys-page">
      <div class="toolbar">
        <SearchBox label={t('keys.search')} value={q} onInput={setQ} />
        <div class="toolbar-actions">
          <button type="button" class="button" disabled={bulk !== null || !counts?.all} onClick={checkAll}>
            <Icon name="refresh" size={16} />
            <span>{bulk?.action === 'check' ? t('keys.checking') : t('keys.checkAll')}</span>
          </button>
          <button type="button" class="button button-primary" onClick={() => setImporting(true)}>
            <Icon name="plus" size={16} />
            <span>{t('keys.add')}</span>
          </button>
        </div>
      </div>

      <fieldset class="chips">
        <legend class="sr-only">{t('keys.filter')}</legend>
        {(['all', ...KEY_STATUSES] as const).map((s) => (
          <button
            type="button"
            class={`chip${status === s ? ' on' : ''}${s === 'all' ? '' : ` chip-${s}`}`}
            aria-pressed={status === s}
            onClick={() => setStatus(s)}
          >
            <span>{s === 'all' ? t('keys.all') : t(`status.${s}`)}</span>
            <b>{counts ? num(counts[s]) : '…'}</b>
          </button>
        ))}
        {page.data?.checks ? (
          <button
            type="button"
            class={`chip chip-unchecked${status === 'unchecked' ? ' on' : ''}`}
            aria-pressed={status === 'unchecked'}
            onClick={() => setStatus('unchecked')}
          >
            <span>{t('keys.unchecked')}</span>
            <b>{num(page.data.checks.unchecked)}</b>
          </button>
        ) : null}
      </fieldset>

      {selectedCount > 0 || bulk ? (
        <BulkBar
          progress={bulk}
          selected={selectedCount}
          offerAll={pageAllSelected && !allMatching && total > rows.length ? total : null}
          onSelectAll={() => setAllMatching(true)}
          onAction={runOnSelection}
          onClear={clearSelection}
        />
      ) : null}

      <ErrorBox error={page.error} onRetry={page.reload} />
      {page.data === null && page.loading ? <Spinner label={t('common.loading')} /> : null}
      {page.data && total === 0 ? (
        counts?.all === 0 ? (
          <Empty icon="key" title={t('keys.emptyTitle')}>
            <p>{t('keys.emptyText')}</p>
            <button type="button" class="button button-primary" onClick={() => setImporting(true)}>
              <Icon name="plus" size={16} />
              <span>{t('keys.add')}</span>
            </button>
          </Empty>
        ) : (
          <Empty icon="search" title={t('keys.noMatch')} />
        )
      ) : null}
      {rows.length > 0 ? (
        <div class={`card table-card${page.loading ? ' is-loading' : ''}`}>
          <KeysTable
            rows={rows}
            selected={allMatching ? new Set(rows.map((r) => r.id)) : selected}
            sort={sort}
            busy={busyRows}
            onSort={setSort}
            onSelect={select}
            onSelectPage={selectPage}
            onAction={runOnRow}
          />
          <Pager
            offset={offset}
            limit={limit}
            total={total}
            onChange={(o, l) => {
              setOffset(o);
              setLimit(l);
            }}
          />
        </div>
      ) : null}
      {importing ? (
        <ImportDialog onClose={() => setImporting(false)} onImported={() => page.reload()} />
      ) : null}
    </div>
  );
}
