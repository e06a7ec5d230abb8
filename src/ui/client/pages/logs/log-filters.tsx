/** @jsxImportSource hono/jsx/dom */
import { t } from '../../i18n';
import { LOG_STATUSES, type LogQuery } from '../../lib/log-query';
import type { ClientKeyView } from '../../lib/types';

/** The Requests page's filters: status, client key, model, and the upstream key when one is set. */
export function LogFilters(props: {
  query: LogQuery;
  clients: ClientKeyView[];
  keyHint: string | null;
  onChange: (query: LogQuery) => void;
}) {
  const { query, onChange } = props;
  const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
  return (
    <div class="log-filters">
      <label class="filter-field">
        <span class="sr-only">{t('logs.filter')}</span>
        <select
          name="status"
          aria-label={t('logs.filter')}
          value={query.status}
          onChange={(e: Event) => onChange({ ...query, status: value(e) })}
        >
          {LOG_STATUSES.map((s) => (
            <option value={s} selected={s === query.status}>
              {t(`logs.status_${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label class="filter-field">
        <span class="sr-only">{t('logs.client')}</span>
        <select
          name="client"
          aria-label={t('logs.client')}
          value={query.client}
          onChange={(e: Event) => onChange({ ...query, client: value(e) })}
        >
          <option value="" selected={query.client === ''}>
            {t('logs.anyClient')}
          </option>
          {props.clients.map((c) => (
            <option value={c.id} selected={c.id === query.client}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label class="filter-field">
        <span class="sr-only">{t('logs.model')}</span>
        <input
          type="search"
          name="model"
          placeholder={t('logs.anyModel')}
          aria-label={t('logs.model')}
          value={query.model}
          maxLength={300}
          onInput={(e: Event) => onChange({ ...query, model: value(e) })}
        />
      </label>
      {query.key ? (
        <span class="chip on key-filter">
          <span>
            {t('logs.keyFilter')} <code class="hint">{props.keyHint ?? query.key}</code>
          </span>
          <button
            type="button"
            class="chip-clear"
            aria-label={t('logs.clearKey')}
            onClick={() => onChange({ ...query, key: '' })}
          >
            ×
          </button>
        </span>
      ) : null}
    </div>
  );
}
