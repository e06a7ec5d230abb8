/** @jsxImportSource hono/jsx/dom */
import { useEffect, useState } from 'hono/jsx/dom';
import { Empty, ErrorBox, Spinner } from '../../components/bits';
import { Icon } from '../../components/icons';
import { t } from '../../i18n';
import { ApiError, api } from '../../lib/api';
import { compact, dateTime, duration, money, relative } from '../../lib/format';
import { useDebounced, useInterval, useLoad } from '../../lib/hooks';
import { type LogQuery, logQueryString, parseLogQuery } from '../../lib/log-query';
import type { ClientKeyView, LogEntry } from '../../lib/types';
import { LogFilters } from './log-filters';
import { RequestDetail } from './request-detail';

/**
 * The latest requests through the proxy (no prompt, no answer): who, which model, which key, how
 * it went; filtered by status, client key, model and upstream key (kept in the URL, so a key's
 * link from the keys page lands here filtered). A row opens the request's attempts.
 */
export function LogsPage() {
  const [query, setQuery] = useState<LogQuery>(parseLogQuery(location.hash));
  const [live, setLive] = useState(true);
  const [open, setOpen] = useState<LogEntry | null>(null);
  // A link to this page (the sidebar's, a key's) sets the filters it carries.
  useEffect(() => {
    const onHash = () => setQuery(parseLogQuery(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const model = useDebounced(query.model.trim(), 300);
  const effective = { ...query, model };
  const qs = logQueryString(effective);
  const log = useLoad(async () => {
    try {
      return await api.get<{ data: LogEntry[] }>(`/admin/api/logs?limit=200${qs ? `&${qs}` : ''}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }, [qs]);
  const clients = useLoad(() => api.get<{ data: ClientKeyView[] }>('/admin/api/client-keys'), []);
  useInterval(() => log.reload(), 5000, live && open === null);
  const entries = log.data?.data ?? [];
  const filtered = qs !== '';

  const change = (next: LogQuery) => {
    setQuery(next);
    const hash = logQueryString(next);
    history.replaceState(null, '', `#/logs${hash ? `?${hash}` : ''}`);
  };
  // The key filter shows the key's hint when a listed request tried that key.
  const keyHint =
    query.key &&
    entries.flatMap((e) => e.tries ?? []).find((attempt) => attempt.key_id === query.key)?.key_hint;

  return (
    <div class="page logs-page">
      <div class="toolbar">
        <LogFilters
          query={query}
          clients={clients.data?.data ?? []}
          keyHint={keyHint || null}
          onChange={change}
        />
        <div class="toolbar-actions">
          <label class="check">
            <input
              type="checkbox"
              checked={live}
              onChange={(e: Event) => setLive((e.target as HTMLInputElement).checked)}
            />
            <span>{t('logs.live')}</span>
          </label>
          <button type="button" class="button" onClick={() => log.reload()}>
            <Icon name="refresh" size={16} />
            <span>{t('common.refresh')}</span>
          </button>
        </div>
      </div>
      <ErrorBox error={log.error} onRetry={log.reload} />
      {log.data === null && log.loading ? <Spinner label={t('common.loading')} /> : null}
      {log.data === null && !log.loading && !log.error ? (
        <Empty icon="list" title={t('logs.unavailable')} />
      ) : null}
      {log.data && entries.length === 0 ? (
        <Empty icon="list" title={filtered ? t('logs.noMatch') : t('logs.empty')} />
      ) : null}
      {entries.length > 0 ? (
        <div class="card table-card">
          <div class="table-wrap">
            <table class="table compact-table logs-table">
              <thead>
                <tr>
                  <th>{t('logs.time')}</th>
                  <th>{t('logs.client')}</th>
                  <th>{t('logs.model')}</th>
                  <th>{t('logs.key')}</th>
                  <th class="num">{t('logs.status')}</th>
                  <th class="num">{t('logs.attempts')}</th>
                  <th class="num">{t('logs.latency')}</th>
                  <th class="num">{t('logs.tokens')}</th>
                  <th class="num">{t('logs.cost')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => {
                  const at = e.at ?? e.time;
                  const ok = e.status >= 200 && e.status < 400;
                  return (
                    <tr class={`clickable${ok ? '' : ' row-bad'}`} onClick={() => setOpen(e)}>
                      <td class="nowrap" title={dateTime(at)}>
                        <button
                          type="button"
                          class="link-button row-open"
                          aria-label={t('logs.open')}
                          onClick={(ev: Event) => {
                            ev.stopPropagation();
                            setOpen(e);
                          }}
                        >
                          {relative(at)}
                        </button>
                      </td>
                      <td>{e.client_name ?? '—'}</td>
                      <td>
                        <code>{e.model ?? '—'}</code>
                        {e.resolved_model && e.resolved_model !== e.model ? (
                          <div class="muted small">→ {e.resolved_model}</div>
                        ) : null}
                      </td>
                      <td>
                        <code class="hint">{e.key_hint ?? '—'}</code>
                      </td>
                      <td class="num">
                        <span class={`badge badge-tone-${ok ? 'ok' : 'bad'}`}>{e.status || '—'}</span>
                        {e.error_class ? <div class="muted small">{e.error_class}</div> : null}
                      </td>
                      <td class="num">
                        {e.attempts > 1 ? <b class="tries-many">{e.attempts}</b> : e.attempts}
                      </td>
                      <td class="num nowrap">{duration(e.latency_ms)}</td>
                      <td class="num">
                        {e.prompt_tokens == null && e.completion_tokens == null
                          ? '—'
                          : `${compact(e.prompt_tokens ?? 0)} / ${compact(e.completion_tokens ?? 0)}`}
                      </td>
                      <td class="num">{e.cost == null ? '—' : money(e.cost)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
      {open ? (
        <RequestDetail
          entry={open}
          onClose={() => setOpen(null)}
          onKey={(key) => {
            setOpen(null);
            change({ ...query, key });
          }}
        />
      ) : null}
    </div>
  );
}
