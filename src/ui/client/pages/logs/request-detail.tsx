/** @jsxImportSource hono/jsx/dom */
import type { Child } from 'hono/jsx';
import { Modal } from '../../components/modal';
import { t } from '../../i18n';
import { dateTime, duration, money, num } from '../../lib/format';
import type { LogEntry } from '../../lib/types';

const okStatus = (status: number | null) => status !== null && status >= 200 && status < 400;

function Fact(props: { label: string; children: Child }) {
  return (
    <div class="fact">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

/**
 * One request in full: who sent it, which model it asked for and got, what it cost, and each
 * upstream attempt (the key's hint, its answer, the error class, how long it took). A key's hint
 * shows the requests that tried that key.
 */
export function RequestDetail(props: {
  entry: LogEntry;
  onClose: () => void;
  onKey: (keyId: string) => void;
}) {
  const e = props.entry;
  const tries = e.tries ?? [];
  return (
    <Modal title={t('logs.detailTitle')} onClose={props.onClose} wide>
      <dl class="facts request-facts">
        <Fact label={t('logs.time')}>{dateTime(e.at ?? e.time)}</Fact>
        <Fact label={t('logs.route')}>
          <code>{e.route ?? '—'}</code>
          {e.stream ? <span class="tag">{t('logs.streamed')}</span> : null}
        </Fact>
        <Fact label={t('logs.client')}>
          {e.client_name ?? '—'}
          {e.client_id ? <div class="muted small">{e.client_id}</div> : null}
        </Fact>
        <Fact label={t('logs.modelAsked')}>
          <code>{e.model ?? '—'}</code>
        </Fact>
        <Fact label={t('logs.modelResolved')}>
          <code>{e.resolved_model ?? '—'}</code>
        </Fact>
        <Fact label={t('logs.status')}>
          <span class={`badge badge-tone-${okStatus(e.status) ? 'ok' : 'bad'}`}>{e.status || '—'}</span>
          {e.error_class ? <span class="muted"> {e.error_class}</span> : null}
        </Fact>
        <Fact label={t('logs.latency')}>{duration(e.latency_ms)}</Fact>
        <Fact label={t('logs.tokens')}>
          {e.prompt_tokens == null && e.completion_tokens == null
            ? '—'
            : `${num(e.prompt_tokens ?? 0)} / ${num(e.completion_tokens ?? 0)}`}
        </Fact>
        <Fact label={t('logs.cost')}>{e.cost == null ? '—' : money(e.cost)}</Fact>
      </dl>
      <h3 class="detail-head">{t('logs.triesTitle', { n: tries.length })}</h3>
      {tries.length === 0 ? (
        <p class="muted">{t('logs.noTries')}</p>
      ) : (
        <div class="table-wrap">
          <table class="table compact-table tries-table">
            <thead>
              <tr>
                <th class="num">#</th>
                <th>{t('logs.key')}</th>
                <th class="num">{t('logs.status')}</th>
                <th>{t('logs.errorClass')}</th>
                <th class="num">{t('logs.latency')}</th>
              </tr>
            </thead>
            <tbody>
              {tries.map((attempt, i) => (
                <tr
                  class={okStatus(attempt.status) && !attempt.error_class ? '' : 'row-bad'}
                  data-try={i + 1}
                >
                  <td class="num">{i + 1}</td>
                  <td>
                    <button
                      type="button"
                      class="link-button"
                      title={t('logs.keyRequests')}
                      onClick={() => props.onKey(attempt.key_id)}
                    >
                      <code class="hint">{attempt.key_hint}</code>
                    </button>
                  </td>
                  <td class="num">
                    <span class={`badge badge-tone-${okStatus(attempt.status) ? 'ok' : 'bad'}`}>
                      {attempt.status ?? '—'}
                    </span>
                  </td>
                  <td>{attempt.error_class ?? <span class="muted">—</span>}</td>
                  <td class="num nowrap">{duration(attempt.latency_ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Modal>
  );
}
