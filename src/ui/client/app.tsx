/** @jsxImportSource hono/jsx/dom */
import type { Child } from 'hono/jsx';
import { useEffect, useState } from 'hono/jsx/dom';
import { Spinner } from './components/bits';
import { ConfirmHost } from './components/confirm';
import { Layout } from './components/layout';
import { Toasts, toast } from './components/toast';
import { getLang, type Lang, setLang, t } from './i18n';
import { ApiError, api, onUnauthorized, setCsrf } from './lib/api';
import { ClientKeysPage } from './pages/client-keys/client-keys-page';
import { DashboardPage } from './pages/dashboard/dashboard-page';
import { KeysPage } from './pages/keys/keys-page';
import { LoginPage } from './pages/login';
import { LogsPage } from './pages/logs/logs-page';
import { ModelMapPage } from './pages/model-map/model-map-page';
import { SettingsPage } from './pages/settings-page';
import { type Page, useRoute } from './router';
import { applyTheme, getTheme, type Theme } from './theme';

interface SessionAnswer {
  authenticated: boolean;
  runtime: string;
  csrf?: string;
}

type Phase = { at: 'loading' } | { at: 'setup'; message: string } | { at: 'login' } | { at: 'ready' };

function PageBody(props: { page: Page }) {
  switch (props.page) {
    case 'keys':
      return <KeysPage />;
    case 'clients':
      return <ClientKeysPage />;
    case 'models':
      return <ModelMapPage />;
    case 'logs':
      return <LogsPage />;
    case 'settings':
      return <SettingsPage />;
    default:
      return <DashboardPage />;
  }
}

/** The console: the login page until signed in, then the pages. */
export function App() {
  const [phase, setPhase] = useState<Phase>({ at: 'loading' });
  const [runtime, setRuntime] = useState('node');
  const [, setLangState] = useState<Lang>(getLang());
  const [, setThemeState] = useState<Theme>(getTheme());
  const page = useRoute();

  const checkSession = async () => {
    try {
      const session = await api.get<SessionAnswer>('/ui/session');
      setRuntime(session.runtime);
      if (session.authenticated && session.csrf) {
        setCsrf(session.csrf);
        setPhase({ at: 'ready' });
      } else setPhase({ at: 'login' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 503) setPhase({ at: 'setup', message: err.message });
      else {
        setPhase({ at: 'login' });
        toast.error(err instanceof Error ? err.message : String(err));
      }
    }
  };

  useEffect(() => {
    onUnauthorized(() => {
      setCsrf('');
      setPhase({ at: 'login' });
      toast.info(t('app.sessionEnded'));
    });
    checkSession();
  }, []);

  const onLang = (lang: Lang) => {
    setLang(lang);
    setLangState(lang);
  };
  const onTheme = (theme: Theme) => {
    applyTheme(theme);
    setThemeState(theme);
  };
  const logout = async () => {
    try {
      await api.post('/ui/logout');
    } catch {
      // The cookie may be gone already; sign out here anyway.
    }
    setCsrf('');
    setPhase({ at: 'login' });
    toast.ok(t('app.loggedOut'));
  };
  const logoutEverywhere = async () => {
    try {
      await api.post('/ui/logout-everywhere');
    } catch (err) {
      toast.error(err instanceof Error ? err.message : String(err));
      return;
    }
    setCsrf('');
    setPhase({ at: 'login' });
    toast.ok(t('app.loggedOutEverywhere'));
  };

  let body: Child;
  if (phase.at === 'loading') {
    body = (
      <div class="boot">
        <Spinner label={t('common.loading')} />
      </div>
    );
  } else if (phase.at === 'ready') {
    body = (
      <Layout
        page={page}
        runtime={runtime}
        onLang={onLang}
        onTheme={onTheme}
        onLogout={logout}
        onLogoutEverywhere={logoutEverywhere}
      >
        <PageBody page={page} />
      </Layout>
    );
  } else {
    body = (
      <LoginPage
        setupMessage={phase.at === 'setup' ? phase.message : null}
        onLang={onLang}
        onTheme={onTheme}
        onLoggedIn={(csrf) => {
          setCsrf(csrf);
          setPhase({ at: 'ready' });
        }}
      />
    );
  }
  return (
    <>
      {body}
      <Toasts />
      <ConfirmHost />
    </>
  );
}
