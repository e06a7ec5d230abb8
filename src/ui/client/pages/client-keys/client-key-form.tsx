/** @jsxImportSource hono/jsx/dom */
import { ErrorBox } from '../../components/bits';
import { Modal } from '../../components/modal';
import { t } from '../../i18n';
import { bodyOf, type ClientKeyDraft, type DraftProblem } from '../../lib/client-key-form';
import { useSafeState } from '../../lib/hooks';

/** Create or edit a client key: name, models, rpm, spending cap, expiry. */
export function ClientKeyForm(props: {
  title: string;
  initial: ClientKeyDraft;
  submitLabel: string;
  showEnabled: boolean;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
  onClose: () => void;
}) {
  const [draft, setDraft] = useSafeState<ClientKeyDraft>(props.initial);
  const [problem, setProblem] = useSafeState<DraftProblem | null>(null);
  const [error, setError] = useSafeState<Error | null>(null);
  const [busy, setBusy] = useSafeState(false);
  const set =
    (field: keyof ClientKeyDraft) =>
    (e: Event): void => {
      const target = e.target as HTMLInputElement;
      const value = target.type === 'checkbox' ? target.checked : target.value;
      // From the previous draft, not this render's: two inputs can fire before the next render.
      setDraft((previous) => ({ ...previous, [field]: value }));
      if (problem?.field === field) setProblem(null);
    };
  const invalid = (field: keyof ClientKeyDraft) => (problem?.field === field ? 'true' : undefined);
  const note = (field: keyof ClientKeyDraft) =>
    problem?.field === field ? <span class="field-error">{t(problem.message)}</span> : null;

  const submit = async (e: Event) => {
    e.preventDefault();
    const result = bodyOf(draft);
    if ('problem' in result) {
      setProblem(result.problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(result.body);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={props.title} onClose={props.onClose} busy={busy}>
      <form class="form" onSubmit={submit} novalidate>
        <label class="field">
          <span class="field-label">{t('clients.name')}</span>
          <input
            type="text"
            name="name"
            maxlength={100}
            value={draft.name}
            onInput={set('name')}
            aria-invalid={invalid('name')}
            data-autofocus
          />
          {note('name')}
        </label>
        <label class="field">
          <span class="field-label">{t('clients.models')}</span>
          <textarea
            name="models"
            rows={3}
            class="mono"
            value={draft.models}
            onInput={set('models')}
            placeholder={'openai/*\nanthropic/claude-3.5-sonnet'}
          />
          <span class="field-note">{t('clients.modelsHelp')}</span>
        </label>
        <div class="field-row">
          <label class="field">
            <span class="field-label">{t('clients.rpm')}</span>
            <input
              type="number"
              name="rpm"
              min={1}
              step={1}
              inputmode="numeric"
              value={draft.rpm}
              onInput={set('rpm')}
              placeholder={t('clients.unlimited')}
              aria-invalid={invalid('rpm')}
            />
            {note('rpm')}
          </label>
          <label class="field">
            <span class="field-label">{t('clients.expires')}</span>
            <input type="datetime-local" name="expires" value={draft.expires} onInput={set('expires')} />
            <span class="field-note">{t('clients.expiresHelp')}</span>
          </label>
        </div>
        <fieldset class="fieldset">
          <legend>{t('clients.cap')}</legend>
          <div class="field-row three">
            <label class="field">
              <span class="field-label">{t('clients.capPeriod')}</span>
              <select name="capPeriod" value={draft.capPeriod} onChange={set('capPeriod')}>
                <option value="" selected={draft.capPeriod === ''}>
                  {t('clients.capNone')}
                </option>
                <option value="day" selected={draft.capPeriod === 'day'}>
                  {t('clients.perDay')}
                </option>
                <option value="month" selected={draft.capPeriod === 'month'}>
                  {t('clients.perMonth')}
                </option>
              </select>
            </label>
            <label class="field">
              <span class="field-label">{t('clients.capTokens')}</span>
              <input
                type="number"
                name="capTokens"
                min={1}
                step={1}
                value={draft.capTokens}
                onInput={set('capTokens')}
                disabled={!draft.capPeriod}
                aria-invalid={invalid('capTokens')}
              />
              {note('capTokens')}
            </label>
            <label class="field">
              <span class="field-label">{t('clients.capCost')}</span>
              <input
                type="number"
                name="capCost"
                min={0}
                step="any"
                value={draft.capCost}
                onInput={set('capCost')}
                disabled={!draft.capPeriod}
                aria-invalid={invalid('capCost')}
              />
              {note('capCost')}
            </label>
          </div>
          <span class="field-note">{t('clients.capHelp')}</span>
        </fieldset>
        {props.showEnabled ? (
          <label class="check">
            <input type="checkbox" name="enabled" checked={draft.enabled} onChange={set('enabled')} />
            <span>{t('clients.enabled')}</span>
          </label>
        ) : null}
        <ErrorBox error={error} />
        <div class="form-actions">
          <button type="button" class="button" onClick={props.onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? t('common.saving') : props.submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
