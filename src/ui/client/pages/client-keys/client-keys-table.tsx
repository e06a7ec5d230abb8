/** @jsxImportSource hono/jsx/dom */
import { ActionsHeader, Badge, IconButton, WhenCell } from '../../components/bits';
import { t } from '../../i18n';
import { compact, money, num } from '../../lib/format';
import type { ClientKeyView, UsageTotals } from '../../lib/types';

function KeyState(props: { k: ClientKeyView }) {
  const { k } = props;
  if (!k.enabled) return <Badge tone="muted">{t('clients.disabled')}</Badge>;
  if (k.expires_at && Date.parse(k.expires_at) <= Date.now())
    return <Badge tone="bad">{t('clients.expired')}</Badge>;
  return <Badge tone="ok">{t('clients.active')}</Badge>;
}

function Usage(props: { label: string; u: UsageTotals | undefined }) {
  if (!props.u) return null;
  return (
    <div class="usage-line">
      <span class="muted">{props.label}</span>{' '}
      {t('clients.usageLine', {
        requests: num(props.u.requests),
        tokens: compact(props.u.tokens),
        cost: money(props.u.cost),
      })}
    </div>
  );
}

function Limits(props: { k: ClientKeyView }) {
  const { k } = props;
  const parts: string[] = [];
  if (k.rpm) parts.push(t('clients.rpmValue', { n: k.rpm }));
  if (k.cap) {
    const period = k.cap.period === 'day' ? t('clients.perDay') : t('clients.perMonth');
    if (k.cap.tokens) parts.push(`${compact(k.cap.tokens)} ${t('clients.tokens')} ${period}`);
    if (k.cap.cost) parts.push(`${money(k.cap.cost)} ${period}`);
  }
  return parts.length ? <span>{parts.join(' · ')}</span> : <span class="muted">{t('clients.noLimits')}</span>;
}

/** The client keys: name, state, models, limits, usage, expiry, and the actions of each. */
export function ClientKeysTable(props: {
  keys: ClientKeyView[];
  onEdit: (key: ClientKeyView) => void;
  onToggle: (key: ClientKeyView) => void;
  onRemove: (key: ClientKeyView) => void;
}) {
  return (
    <div class="card table-card">
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th>{t('clients.name')}</th>
              <th>{t('clients.state')}</th>
              <th>{t('clients.models')}</th>
              <th>{t('clients.limits')}</th>
              <th>{t('clients.usage')}</th>
              <th>{t('clients.expires')}</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {props.keys.map((k) => (
              <tr key={k.id} data-client-id={k.id}>
                <td>
                  <div class="client-name">{k.name}</div>
                  <code class="hint">{k.hint}</code>
                </td>
                <td>
                  <KeyState k={k} />
                </td>
                <td class="models-cell">
                  {k.models ? (
                    k.models.map((m) => <code class="tag mono">{m}</code>)
                  ) : (
                    <span class="muted">{t('clients.allModels')}</span>
                  )}
                </td>
                <td>
                  <Limits k={k} />
                </td>
                <td class="usage-cell">
                  {k.usage ? (
                    <>
                      <Usage label={t('clients.today')} u={k.usage.today} />
                      <Usage label={t('clients.month')} u={k.usage.month} />
                    </>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
                <WhenCell at={k.expires_at} never={t('clients.never')} />
                <td class="actions-col">
                  <div class="row-actions">
                    <IconButton icon="edit" label={t('common.edit')} onClick={() => props.onEdit(k)} />
                    <IconButton
                      icon="power"
                      label={k.enabled ? t('keys.disable') : t('keys.enable')}
                      onClick={() => props.onToggle(k)}
                    />
                    <IconButton
                      icon="trash"
                      label={t('common.delete')}
                      danger
                      onClick={() => props.onRemove(k)}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
