/** @jsxImportSource hono/jsx/dom */
import { useEffect } from 'hono/jsx/dom';
import { ErrorBox, Spinner } from '../components/bits';
import { toast } from '../components/toast';
import { t } from '../i18n';
import { api } from '../lib/api';
import { useLoad, useSafeState } from '../lib/hooks';
import type { Settings } from '../lib/types';
import { AlertsCard } from './settings/alerts-card';

interface SettingsAnswer {
  settings: Settings;
  overrides: Partial<Settings>;
}

type NumberField = 'max_attempts' | 'upstream_timeout_ms' | 'request_deadline_ms';
const NUMBERS: ReadonlyArray<{ field: NumberField; max?: number }> = [
  { field: 'max_attempts', max: 20 },
  { field: 'upstream_timeout_ms' },
  { field: 'request_deadline_ms' },
];
const STRATEGIES: ReadonlyArray<Settings['key_strategy']> = ['round-robin', 'random', 'sticky'];
type SwitchField = 'conversation_affinity' | 'retry_empty_answers';
const SWITCHES: readonly SwitchField[] = ['conversation_affinity', 'retry_empty_answers'];
const onOff = (value: boolean) => t(value ? 'settings.on' : 'settings.off');

/** Strategy, attempts and timeouts, changed at run time; a field left empty goes back to its configured value. */
export function SettingsPage() {
  const loaded = useLoad(() => api.get<SettingsAnswer>('/admin/api/settings'), []);
  // Null until made from the loaded overrides: the form waits for it, so nothing typed is overwritten.
  const [draft, setDraft] = useSafeState<Record<string, string> | null>(null);
  const [error, setError] = useSafeState<Error | null>(null);
  const [busy, setBusy] = useSafeState(false);

  useEffect(() => {
    const o = loaded.data?.overrides;
    if (!o) return;
    setDraft({
      key_strategy: o.key_strategy ?? '',
      max_attempts: o.max_attempts?.toString() ?? '',
      upstream_timeout_ms: o.upstream_timeout_ms?.toString() ?? '',
      request_deadline_ms: o.request_deadline_ms?.toString() ?? '',
      conversation_affinity: o.conversation_affinity?.toString() ?? '',
      retry_empty_answers: o.retry_empty_answers?.toString() ?? '',
    });
  }, [loaded.data]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!draft) return;
    const body: Record<string, unknown> = { key_strategy: draft.key_strategy || null };
    for (const { field } of NUMBERS) {
      const text = (draft[field] ?? '').trim();
      body[field] = text === '' ? null : Number(text);
    }
    for (const field of SWITCHES) body[field] = draft[field] ? draft[field] === 'true' : null;
    setBusy(true);
    setError(null);
    try {
      await api.put('/admin/api/settings', body);
      toast.ok(t('common.saved'));
      await loaded.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  const effective = loaded.data?.settings;
  return (
    <div class="page settings-page">
      <ErrorBox error={loaded.error} onRetry={loaded.reload} />
      {!(effective && draft) && loaded.loading ? <Spinner label={t('common.loading')} /> : null}
      {effective && draft ? (
        <form class="card form settings-form" onSubmit={save}>
          <h2>{t('settings.routing')}</h2>
          <p class="muted small">{t('settings.help')}</p>
          <label class="field">
            <span class="field-label">{t('settings.key_strategy')}</span>
            <select
              name="key_strategy"
              value={draft.key_strategy ?? ''}
              onChange={(e: Event) => {
                const value = (e.target as HTMLSelectElement).value;
                setDraft((previous) => ({ ...previous, key_strategy: value }));
              }}
            >
              <option value="" selected={!draft.key_strategy}>
                {t('settings.default', { value: t(`strategy.${effective.key_strategy}`) })}
              </option>
              {STRATEGIES.map((s) => (
                <option value={s} selected={draft.key_strategy === s}>
                  {t(`strategy.${s}`)}
                </option>
              ))}
            </select>
            <span class="field-note">{t('settings.key_strategyHelp')}</span>
          </label>
          {NUMBERS.map(({ field, max }) => (
            <label class="field">
              <span class="field-label">{t(`settings.${field}`)}</span>
              <input
                type="number"
                name={field}
                min={1}
                max={max}
                step={1}
                inputmode="numeric"
                placeholder={t('settings.default', { value: String(effective[field]) })}
                value={draft[field] ?? ''}
                onInput={(e: Event) => {
                  const value = (e.target as HTMLInputElement).value;
                  setDraft((previous) => ({ ...previous, [field]: value }));
                }}
              />
              <span class="field-note">
                {t(`settings.${field}Help`)} {t('settings.inForce', { value: String(effective[field]) })}
              </span>
            </label>
          ))}
          {SWITCHES.map((field) => (
            <label class="field">
              <span class="field-label">{t(`settings.${field}`)}</span>
              <select
                name={field}
                value={draft[field] ?? ''}
                onChange={(e: Event) => {
                  const value = (e.target as HTMLSelectElement).value;
                  setDraft((previous) => ({ ...previous, [field]: value }));
                }}
              >
                <option value="" selected={!draft[field]}>
                  {t('settings.default', { value: onOff(effective[field]) })}
                </option>
                <option value="true" selected={draft[field] === 'true'}>
                  {t('settings.on')}
                </option>
                <option value="false" selected={draft[field] === 'false'}>
                  {t('settings.off')}
                </option>
              </select>
              <span class="field-note">
                {t(`settings.${field}Help`)} {t('settings.inForce', { value: onOff(effective[field]) })}
              </span>
            </label>
          ))}
          <ErrorBox error={error} />
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? t('common.saving') : t('common.save')}
            </button>
          </div>
        </form>
      ) : null}
      <AlertsCard />
    </div>
  );
}
