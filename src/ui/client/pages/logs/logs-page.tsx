/** @jsxImportSource hono/jsx/dom */
import { useState } from 'hono/jsx/dom';
import { Empty, ErrorBox, Spinner } from '../components/bits';
import { Icon } from '../components/icons';
import { t } from '../i18n';
import { ApiError, api } from '../lib/api';
import { compact, dateTime, duration, money, relative } from '../lib/format';
import { useInterval, useLoad } from '../lib/hooks';
import type { LogEntry } from '../lib/types';

/** The latest requests through the proxy (no prompt, no answer): who, which model, which key, how it went. */
export function LogsPage() {
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [live, setLive] = useState(true);
  const log = useLoad(async () => {
    try {
      return await api.get<{ data: LogEntry[] }>(
        `/admin/api/logs?limit=200${errorsOnly ? '&status=error' : ''}`,
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }, [errorsOnly]);
  useInterval(() => log.reload(), 5000, live);
  const entries = log.data?.data ?? [];

  return (
    <div class="page logs-page">
      <div class="toolbar">
        <fieldset class="segmented">
          <legend class="sr-only">{t('logs.filter')}</legend>
          <button
            type="button"
            class={errorsOnly ? '' : 'on'}
            aria-pressed={!errorsOnly}
            onClick={() => setErrorsOnly(false)}
          >
            {t('logs.all')}
          </button>
          <button
            type="button"
            class={errorsOnly ? 'on' : ''}
            aria-pressed={errorsOnly}
            onClick={() => setErrorsOnly(true)}
          >
            {t('logs.errors')}
          </button>
        </fieldset>
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
        <Empty icon="list" title={errorsOnly ? t('logs.noErrors') : t('logs.empty')} />
      ) : null}
      {entries.length > 0 ? (
        <div class="card table-card">
          <div class="table-wrap">
            <table class="table compact-table">
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
                    <tr class={ok ? '' : 'row-bad'}>
                      <td class="nowrap" title={dateTime(at)}>
                        {relative(at)}
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
                      <td class="num">{e.attempts}</td>
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
    </div>
  );
}
