/** @jsxImportSource hono/jsx/dom */
import { ErrorBox, Spinner } from '../../components/bits';
import { t } from '../../i18n';
import { relative } from '../../lib/format';
import type { LogEntry } from '../../lib/types';

/** The last failed requests (from the request log). */
export function RecentFailures(props: { entries: LogEntry[] | null; loading: boolean; error: Error | null }) {
  return (
    <section class="card">
      <div class="card-head">
        <h2>{t('dash.recentFailures')}</h2>
        <a class="link" href="#/logs">
          {t('dash.allRequests')}
        </a>
      </div>
      <ErrorBox error={props.error} />
      {props.entries === null && props.loading ? <Spinner /> : null}
      {props.entries === null && !props.loading && !props.error ? (
        <p class="muted">{t('logs.unavailable')}</p>
      ) : null}
      {props.entries && props.entries.length === 0 ? <p class="muted">{t('dash.noFailures')}</p> : null}
      {props.entries && props.entries.length > 0 ? (
        <ul class="failure-list">
          {props.entries.map((e) => (
            <li>
              <span class="badge badge-tone-bad">{e.status || '—'}</span>
              <span class="failure-main">
                <b>{e.model ?? '—'}</b>
                <span class="muted">
                  {' · '}
                  {e.client_name ?? '—'}
                  {e.key_hint ? ` · ${e.key_hint}` : ''}
                </span>
              </span>
              <span class="failure-class">{e.error_class ?? ''}</span>
              <span class="muted nowrap">{relative(e.at ?? e.time)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
