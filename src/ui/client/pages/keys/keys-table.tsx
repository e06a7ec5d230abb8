/** @jsxImportSource hono/jsx/dom */
import { ActionsHeader, IconButton, StatusBadge, WhenCell } from '../../components/bits';
import { type MessageKey, t } from '../../i18n';
import { dateTime, money, num, relative } from '../../lib/format';
import type { KeyView } from '../../lib/types';

/** The sortable columns and the server's name for each. */
const COLUMNS: ReadonlyArray<{ id: string; label: MessageKey; sort?: string; class?: string }> = [
  { id: 'key', label: 'keys.colKey', sort: 'label' },
  { id: 'status', label: 'keys.colStatus', sort: 'status' },
  { id: 'credit', label: 'keys.colCredit', sort: 'credit', class: 'num' },
  { id: 'usage', label: 'keys.colUsage', sort: 'usage', class: 'num' },
  { id: 'checked', label: 'keys.colChecked', sort: 'checked' },
  { id: 'error', label: 'keys.colError', sort: 'error' },
  { id: 'requests', label: 'keys.colRequests', sort: 'requests', class: 'num' },
];

function Credit(props: { credit: KeyView['credit']; checked: boolean }) {
  const c = props.credit;
  if (!c) return <span class="muted">{props.checked ? '—' : t('keys.creditUnknown')}</span>;
  if (c.limit === null) {
    return (
      <span>
        {t('keys.unlimited')}
        {c.is_free_tier ? <span class="tag">{t('keys.free')}</span> : null}
      </span>
    );
  }
  return (
    <span title={t('keys.creditTitle', { remaining: money(c.remaining), limit: money(c.limit) })}>
      <b>{money(c.remaining)}</b>
      <span class="muted"> / {money(c.limit)}</span>
    </span>
  );
}

/** One page of keys, with a checkbox, the facts and the actions of each. */
export function KeysTable(props: {
  rows: KeyView[];
  selected: ReadonlySet<string>;
  sort: string;
  busy: ReadonlySet<string>;
  onSort: (sort: string) => void;
  onSelect: (id: string, on: boolean) => void;
  onSelectPage: (on: boolean) => void;
  onAction: (key: KeyView, action: 'enable' | 'disable' | 'check' | 'delete') => void;
}) {
  const { rows, selected } = props;
  const allOn = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const desc = props.sort.startsWith('-');
  const sortField = desc ? props.sort.slice(1) : props.sort;
  return (
    <div class="table-wrap">
      <table class="table keys-table">
        <thead>
          <tr>
            <th class="check-col">
              <input
                type="checkbox"
                aria-label={t('keys.selectPage')}
                checked={allOn}
                onChange={(e: Event) => props.onSelectPage((e.target as HTMLInputElement).checked)}
              />
            </th>
            {COLUMNS.map((col) => (
              <th
                class={col.class}
                aria-sort={col.sort === sortField ? (desc ? 'descending' : 'ascending') : undefined}
              >
                {col.sort ? (
                  <button
                    type="button"
                    class="th-sort"
                    onClick={() =>
                      props.onSort(col.sort === sortField && !desc ? `-${col.sort}` : (col.sort as string))
                    }
                  >
                    {t(col.label)}
                    <span class="sort-mark">{col.sort === sortField ? (desc ? '▼' : '▲') : ''}</span>
                  </button>
                ) : (
                  t(col.label)
                )}
              </th>
            ))}
            <ActionsHeader />
          </tr>
        </thead>
        <tbody>
          {rows.map((key) => (
            <tr key={key.id} class={selected.has(key.id) ? 'selected' : ''} data-key-id={key.id}>
              <td class="check-col">
                <input
                  type="checkbox"
                  aria-label={t('keys.select', { hint: key.hint })}
                  checked={selected.has(key.id)}
                  onChange={(e: Event) => props.onSelect(key.id, (e.target as HTMLInputElement).checked)}
                />
              </td>
              <td class="key-cell">
                <code class="hint">{key.hint}</code>
                {key.label ? <div class="key-label">{key.label}</div> : null}
              </td>
              <td>
                <StatusBadge status={key.status} />
                {key.checked_at === null ? (
                  <span class="tag tag-unchecked">{t('keys.unchecked')}</span>
                ) : null}
                {key.status === 'cooldown' && key.cooldown_until ? (
                  <div class="muted small">{t('keys.until', { when: relative(key.cooldown_until) })}</div>
                ) : null}
              </td>
              <td class="num">
                <Credit credit={key.credit} checked={key.checked_at !== null} />
              </td>
              <td class="num">
                {key.credit ? (
                  <span
                    title={t('keys.usageTitle', {
                      day: money(key.credit.usage_daily),
                      month: money(key.credit.usage_monthly),
                    })}
                  >
                    {money(key.credit.usage_daily)}
                    <span class="muted"> / {money(key.credit.usage_monthly)}</span>
                  </span>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <WhenCell at={key.checked_at} never={t('keys.never')} />
              <td class="error-cell">
                {key.last_error ? (
                  <span
                    class="error-text"
                    title={`${dateTime(key.last_error.at)} · ${key.last_error.message}`}
                  >
                    <b>{key.last_error.status ?? '—'}</b> {key.last_error.message}
                  </span>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td class="num">
                <a
                  class="link"
                  href={`#/logs?key=${encodeURIComponent(key.id)}`}
                  title={t('keys.requestsLink', { hint: key.hint })}
                >
                  {num(key.requests)}
                  {key.failures ? <span class="muted"> / {num(key.failures)}</span> : null}
                </a>
              </td>
              <td class="actions-col">
                <div class="row-actions">
                  <IconButton
                    icon="power"
                    label={key.enabled ? t('keys.disable') : t('keys.enable')}
                    disabled={props.busy.has(key.id)}
                    onClick={() => props.onAction(key, key.enabled ? 'disable' : 'enable')}
                  />
                  <IconButton
                    icon="refresh"
                    label={t('keys.checkNow')}
                    disabled={props.busy.has(key.id)}
                    onClick={() => props.onAction(key, 'check')}
                  />
                  <IconButton
                    icon="trash"
                    label={t('common.delete')}
                    disabled={props.busy.has(key.id)}
                    danger
                    onClick={() => props.onAction(key, 'delete')}
                  />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
