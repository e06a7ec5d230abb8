/** @jsxImportSource hono/jsx/dom */
import { useEffect } from 'hono/jsx/dom';
import type { AlertKind } from '../../../../alerts/alert-policy';
import { ErrorBox, Spinner } from '../../components/bits';
import { Icon } from '../../components/icons';
import { toast } from '../../components/toast';
import { t } from '../../i18n';
import {
  type AlertDraft,
  type AlertSettingsView,
  alertBody,
  alertDraft,
  blankWebhook,
  WEBHOOK_FORMATS,
  type WebhookFormat,
} from '../../lib/alert-form';
import { api } from '../../lib/api';
import { dateTime } from '../../lib/format';
import { useLoad, useSafeState } from '../../lib/hooks';

interface AlertsAnswer {
  settings: AlertSettingsView;
  last_sent: Record<string, string>;
}

interface TestResult {
  url: string;
  format: WebhookFormat;
  ok: boolean;
  error: string | null;
}

type RuleField = 'min_usable_keys' | 'min_credit' | 'max_error_rate_pct' | 'window_minutes';
const RULES: ReadonlyArray<{ field: RuleField; step: string; min: number; max?: number }> = [
  { field: 'min_usable_keys', step: '1', min: 1 },
  { field: 'min_credit', step: 'any', min: 0 },
  { field: 'max_error_rate_pct', step: 'any', min: 0, max: 100 },
  { field: 'window_minutes', step: '1', min: 1, max: 10080 },
];

/**
 * Alerts: the webhooks CloudRouter posts to (plain JSON, Slack, Feishu/Lark, DingTalk, WeCom),
 * the rules (usable keys, dead keys, credit, error rate) and the window; a test alert tries
 * the webhooks as typed, before or after saving.
 */
export function AlertsCard() {
  const loaded = useLoad(() => api.get<AlertsAnswer>('/admin/api/alerts'), []);
  const [draft, setDraft] = useSafeState<AlertDraft | null>(null);
  const [error, setError] = useSafeState<Error | null>(null);
  const [busy, setBusy] = useSafeState<'save' | 'test' | null>(null);
  const [results, setResults] = useSafeState<TestResult[] | null>(null);

  useEffect(() => {
    if (loaded.data) setDraft(alertDraft(loaded.data.settings));
  }, [loaded.data]);

  const change = (next: Partial<AlertDraft>) =>
    setDraft((previous) => (previous ? { ...previous, ...next } : previous));
  const changeHook = (key: number, next: Partial<AlertDraft['webhooks'][number]>) =>
    setDraft((previous) =>
      previous
        ? { ...previous, webhooks: previous.webhooks.map((w) => (w.key === key ? { ...w, ...next } : w)) }
        : previous,
    );

  const save = async (e: Event) => {
    e.preventDefault();
    if (!draft) return;
    setBusy('save');
    setError(null);
    try {
      await api.put('/admin/api/alerts', alertBody(draft));
      toast.ok(t('common.saved'));
      await loaded.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(null);
    }
  };

  const test = async () => {
    if (!draft) return;
    setBusy('test');
    setError(null);
    setResults(null);
    try {
      const answer = await api.post<{ results: TestResult[] }>('/admin/api/alerts/test', {
        webhooks: alertBody(draft).webhooks,
      });
      setResults(answer.results);
      const failed = answer.results.filter((r) => !r.ok).length;
      if (failed) toast.error(t('alerts.testFailed', { n: failed }));
      else toast.ok(t('alerts.testSent', { n: answer.results.length }));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(null);
    }
  };

  const lastSent = Object.entries(loaded.data?.last_sent ?? {});
  return (
    <section class="card form alerts-card">
      <h2>{t('alerts.title')}</h2>
      <p class="muted small">{t('alerts.help')}</p>
      <ErrorBox error={loaded.error} onRetry={loaded.reload} />
      {!draft && loaded.loading ? <Spinner label={t('common.loading')} /> : null}
      {draft ? (
        <form onSubmit={save}>
          <fieldset class="webhooks">
            <legend class="field-label">{t('alerts.webhooks')}</legend>
            {draft.webhooks.length === 0 ? <p class="muted small">{t('alerts.noWebhooks')}</p> : null}
            {draft.webhooks.map((hook, i) => (
              <div class="webhook-row" key={hook.key}>
                <input
                  type="url"
                  name={`webhook-url-${i}`}
                  aria-label={t('alerts.url')}
                  placeholder="https://…"
                  maxLength={2048}
                  value={hook.url}
                  onInput={(e: Event) => changeHook(hook.key, { url: (e.target as HTMLInputElement).value })}
                />
                <select
                  name={`webhook-format-${i}`}
                  aria-label={t('alerts.format')}
                  value={hook.format}
                  onChange={(e: Event) =>
                    changeHook(hook.key, { format: (e.target as HTMLSelectElement).value as WebhookFormat })
                  }
                >
                  {WEBHOOK_FORMATS.map((f) => (
                    <option value={f} selected={f === hook.format}>
                      {t(`alerts.format_${f}`)}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  class="icon-button"
                  aria-label={t('alerts.removeWebhook')}
                  onClick={() => change({ webhooks: draft.webhooks.filter((w) => w.key !== hook.key) })}
                >
                  <Icon name="trash" size={16} />
                </button>
              </div>
            ))}
            {draft.webhooks.length < 10 ? (
              <button
                type="button"
                class="button button-ghost"
                onClick={() => change({ webhooks: [...draft.webhooks, blankWebhook()] })}
              >
                <Icon name="plus" size={16} />
                <span>{t('alerts.addWebhook')}</span>
              </button>
            ) : null}
          </fieldset>
          <label class="check">
            <input
              type="checkbox"
              name="key_dead"
              checked={draft.key_dead}
              onChange={(e: Event) => change({ key_dead: (e.target as HTMLInputElement).checked })}
            />
            <span>{t('alerts.key_dead')}</span>
          </label>
          <div class="alert-rules">
            {RULES.map(({ field, step, min, max }) => (
              <label class="field">
                <span class="field-label">{t(`alerts.${field}`)}</span>
                <input
                  type="number"
                  name={field}
                  min={min}
                  max={max}
                  step={step}
                  placeholder={field === 'window_minutes' ? '60' : t('alerts.off')}
                  value={draft[field]}
                  onInput={(e: Event) => change({ [field]: (e.target as HTMLInputElement).value })}
                />
                <span class="field-note">{t(`alerts.${field}Help`)}</span>
              </label>
            ))}
            <label class="field">
              <span class="field-label">{t('alerts.lang')}</span>
              <select
                name="lang"
                value={draft.lang}
                onChange={(e: Event) =>
                  change({ lang: (e.target as HTMLSelectElement).value as AlertDraft['lang'] })
                }
              >
                <option value="en" selected={draft.lang === 'en'}>
                  English
                </option>
                <option value="zh-CN" selected={draft.lang === 'zh-CN'}>
                  简体中文
                </option>
              </select>
            </label>
          </div>
          {lastSent.length ? (
            <p class="muted small last-sent">
              {t('alerts.lastSent')}{' '}
              {lastSent
                .map(([kind, at]) => `${t(`alerts.kind_${kind as AlertKind}`)} ${dateTime(at)}`)
                .join(' · ')}
            </p>
          ) : null}
          {results ? (
            <ul class="test-results">
              {results.map((r) => (
                <li class={r.ok ? 'ok' : 'bad'}>
                  <b>{t(`alerts.format_${r.format}`)}</b> <span class="muted">{r.url}</span>{' '}
                  {r.ok ? t('alerts.delivered') : `${t('alerts.notDelivered')}: ${r.error}`}
                </li>
              ))}
            </ul>
          ) : null}
          <ErrorBox error={error} />
          <div class="form-actions">
            <button
              type="button"
              class="button"
              disabled={busy !== null || !draft.webhooks.some((w) => w.url.trim())}
              onClick={test}
            >
              {busy === 'test' ? t('alerts.testing') : t('alerts.test')}
            </button>
            <button type="submit" class="button button-primary" disabled={busy !== null}>
              {busy === 'save' ? t('common.saving') : t('common.save')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
