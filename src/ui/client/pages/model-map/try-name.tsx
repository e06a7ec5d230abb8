/** @jsxImportSource hono/jsx/dom */
import { ErrorBox } from '../../components/bits';
import { t } from '../../i18n';
import { api } from '../../lib/api';
import { useSafeState } from '../../lib/hooks';
import type { Resolution } from '../../lib/types';

/** "What does gpt-4o go to?": asks the proxy's own resolver. */
export function TryName() {
  const [name, setName] = useSafeState('');
  const [answer, setAnswer] = useSafeState<Resolution | null>(null);
  const [error, setError] = useSafeState<Error | null>(null);
  const [busy, setBusy] = useSafeState(false);
  const run = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setAnswer(
        await api.get<Resolution>(`/admin/api/model-map/resolve?name=${encodeURIComponent(name.trim())}`),
      );
    } catch (err) {
      setAnswer(null);
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card">
      <h2>{t('models.try')}</h2>
      <p class="muted small">{t('models.tryHelp')}</p>
      <form class="inline-form" onSubmit={run}>
        <input
          type="text"
          class="mono"
          placeholder="gpt-4o"
          aria-label={t('models.tryLabel')}
          value={name}
          onInput={(e: Event) => setName((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="button button-primary" disabled={busy || !name.trim()}>
          {t('models.tryButton')}
        </button>
      </form>
      <ErrorBox error={error} />
      {answer ? (
        <div class="resolution" data-testid="resolution">
          <div class="resolution-main">
            <code>{answer.name}</code>
            <span class="arrow">→</span>
            <code class="resolved">{answer.id}</code>
          </div>
          <div class="resolution-via">
            <span class={`badge badge-via-${answer.via}`}>{t(`via.${answer.via}`)}</span>
            <span class="muted small">{t(`viaHelp.${answer.via}`)}</span>
          </div>
          {answer.candidates && answer.candidates.length > 1 ? (
            <div class="muted small">
              {t('models.candidates')} {answer.candidates.join(', ')}
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
