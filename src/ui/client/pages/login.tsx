/** @jsxImportSource hono/jsx/dom */
import { Icon } from '../components/icons';
import { LangSwitch, ThemeToggle } from '../components/layout';
import type { Lang } from '../i18n';
import { t } from '../i18n';
import { ApiError, api } from '../lib/api';
import { useSafeState } from '../lib/hooks';
import type { Theme } from '../theme';

/** Where the console begins: the admin key, or the message that none is set. */
export function LoginPage(props: {
  setupMessage: string | null;
  onLoggedIn: (csrf: string) => void;
  onLang: (lang: Lang) => void;
  onTheme: (theme: Theme) => void;
}) {
  const [key, setKey] = useSafeState('');
  const [error, setError] = useSafeState<string | null>(null);
  const [busy, setBusy] = useSafeState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!key.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ csrf: string }>('/ui/login', { key: key.trim() });
      props.onLoggedIn(answer.csrf);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'wrong_admin_key') setError(t('login.wrongKey'));
      else if (err instanceof ApiError && err.status === 429)
        setError(t('login.throttled', { message: err.message }));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="login-page">
      <div class="login-tools">
        <LangSwitch onLang={props.onLang} />
        <ThemeToggle onTheme={props.onTheme} />
      </div>
      <div class="login-card">
        <div class="login-brand">
          <span class="brand-mark" aria-hidden="true">
            <Icon name="pulse" size={22} />
          </span>
          <div>
            <h1>CloudRouter</h1>
            <p class="muted">{t('login.tagline')}</p>
          </div>
        </div>
        {props.setupMessage ? (
          <div class="setup" role="alert">
            <h2>{t('login.setupTitle')}</h2>
            <p>{t('login.setupText')}</p>
            <pre class="code">{props.setupMessage}</pre>
          </div>
        ) : (
          <form class="form" onSubmit={submit}>
            <label class="field">
              <span class="field-label">{t('login.keyLabel')}</span>
              <input
                type="password"
                name="key"
                autocomplete="current-password"
                placeholder={t('login.keyPlaceholder')}
                value={key}
                onInput={(e: Event) => setKey((e.target as HTMLInputElement).value)}
                autofocus
                required
              />
            </label>
            {error ? (
              <div class="alert alert-error" role="alert">
                <Icon name="alert" />
                <span>{error}</span>
              </div>
            ) : null}
            <button type="submit" class="button button-primary button-block" disabled={busy || !key.trim()}>
              {busy ? t('login.signingIn') : t('login.signIn')}
            </button>
            <p class="muted small">{t('login.hint')}</p>
          </form>
        )}
      </div>
    </div>
  );
}
