/** @jsxImportSource hono/jsx/dom */
import type { Child } from 'hono/jsx';
import { t } from '../i18n';
import { dateTime, relative } from '../lib/format';
import { useSafeState } from '../lib/hooks';
import type { KeyStatus } from '../lib/types';
import { Icon, type IconName } from './icons';
import { toast } from './toast';

/** A coloured status label. */
export function StatusBadge(props: { status: KeyStatus }) {
  return <span class={`badge badge-${props.status}`}>{t(`status.${props.status}`)}</span>;
}

/** A badge of any tone. */
export function Badge(props: { tone: 'ok' | 'warn' | 'bad' | 'muted' | 'info'; children: Child }) {
  return <span class={`badge badge-tone-${props.tone}`}>{props.children}</span>;
}

/** A turning circle while something loads. */
export function Spinner(props: { label?: string }) {
  return (
    <span class="spinner-wrap" role="status">
      <span class="spinner" aria-hidden="true" />
      {props.label ? <span>{props.label}</span> : <span class="sr-only">{t('common.loading')}</span>}
    </span>
  );
}

/** What a list shows when it has nothing yet. */
export function Empty(props: { icon?: IconName; title: string; children?: Child }) {
  return (
    <div class="empty">
      <div class="empty-icon">
        <Icon name={props.icon ?? 'list'} size={28} />
      </div>
      <p class="empty-title">{props.title}</p>
      {props.children ? <div class="empty-text">{props.children}</div> : null}
    </div>
  );
}

/** A red box with an error message (server errors shown as they are: text). */
export function ErrorBox(props: { error: Error | string | null; onRetry?: () => void }) {
  if (!props.error) return null;
  const text = typeof props.error === 'string' ? props.error : props.error.message;
  return (
    <div class="alert alert-error" role="alert">
      <Icon name="alert" />
      <span>{text}</span>
      {props.onRetry ? (
        <button type="button" class="button button-small" onClick={props.onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

/** Copies `text` to the clipboard. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Without clipboard access (plain http on another host): select-and-copy the old way.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** Copies `text`, and says so for a moment. */
export function CopyButton(props: { text: string; label?: string; class?: string }) {
  const [done, setDone] = useSafeState(false);
  return (
    <button
      type="button"
      class={`button button-small ${props.class ?? ''}`}
      onClick={async () => {
        if (await copyText(props.text)) {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        } else toast.error(t('common.copyFailed'));
      }}
    >
      <Icon name={done ? 'check' : 'copy'} size={14} />
      <span>{done ? t('common.copied') : (props.label ?? t('common.copy'))}</span>
    </button>
  );
}

/** "1–50 of 1,000" with previous/next and a page-size choice. */
export function Pager(props: {
  offset: number;
  limit: number;
  total: number;
  sizes?: number[];
  onChange: (offset: number, limit: number) => void;
}) {
  const { offset, limit, total } = props;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(total, offset + limit);
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  return (
    <div class="pager">
      <span class="pager-range">{t('pager.range', { first, last, total })}</span>
      <label class="pager-size">
        <span class="sr-only">{t('pager.size')}</span>
        <select
          value={String(limit)}
          onChange={(e: Event) => props.onChange(0, Number((e.target as HTMLSelectElement).value))}
        >
          {(props.sizes ?? [25, 50, 100, 200]).map((n) => (
            <option value={String(n)} selected={n === limit}>
              {t('pager.perPage', { n })}
            </option>
          ))}
        </select>
      </label>
      <div class="pager-buttons">
        <button
          type="button"
          class="button button-small"
          disabled={page <= 1}
          onClick={() => props.onChange(0, limit)}
        >
          «
        </button>
        <button
          type="button"
          class="button button-small"
          disabled={page <= 1}
          onClick={() => props.onChange(Math.max(0, offset - limit), limit)}
        >
          {t('pager.prev')}
        </button>
        <span class="pager-page">{t('pager.page', { page, pages })}</span>
        <button
          type="button"
          class="button button-small"
          disabled={page >= pages}
          onClick={() => props.onChange(offset + limit, limit)}
        >
          {t('pager.next')}
        </button>
        <button
          type="button"
          class="button button-small"
          disabled={page >= pages}
          onClick={() => props.onChange((pages - 1) * limit, limit)}
        >
          »
        </button>
      </div>
    </div>
  );
}

/** A thin bar that fills as work goes on. */
/** A small button that shows only an icon; `label` is its tooltip and accessible name. */
export function IconButton(props: {
  icon: IconName;
  label: string;
  onClick: () => void;
  disabled?: boolean;
  danger?: boolean;
}) {
  return (
    <button
      type="button"
      class={props.danger ? 'icon-button danger' : 'icon-button'}
      disabled={props.disabled}
      title={props.label}
      aria-label={props.label}
      onClick={props.onClick}
    >
      <Icon name={props.icon} size={16} />
    </button>
  );
}

/** A search field with its icon; `label` is also its placeholder. */
export function SearchBox(props: { label: string; value: string; onInput: (value: string) => void }) {
  return (
    <div class="search">
      <Icon name="search" size={16} />
      <input
        type="search"
        placeholder={props.label}
        aria-label={props.label}
        value={props.value}
        onInput={(e: Event) => props.onInput((e.target as HTMLInputElement).value)}
      />
    </div>
  );
}

export function ProgressBar(props: { value: number; max: number; label?: string }) {
  return (
    <div class="progress">
      <progress value={props.value} max={Math.max(1, props.max)} />
      {props.label ? <span class="progress-label">{props.label}</span> : null}
    </div>
  );
}

/** A table cell with a time: relative ("3 min ago"), the exact time on hover, or `never` when there is none. */
export function WhenCell(props: { at: string | null | undefined; never: string }) {
  return (
    <td class="nowrap" title={dateTime(props.at)}>
      {props.at ? relative(props.at) : <span class="muted">{props.never}</span>}
    </td>
  );
}

/** The header of a table's row-actions column: empty to the eye, named for screen readers. */
export function ActionsHeader() {
  return (
    <th class="actions-col">
      <span class="sr-only">{t('keys.colActions')}</span>
    </th>
  );
}
