/** @jsxImportSource hono/jsx/dom */
import type { Child } from 'hono/jsx';
import { useState } from 'hono/jsx/dom';
import { getLang, LANGS, type Lang, t } from '../i18n';
import { hrefOf, type Page } from '../router';
import { isDark, type Theme } from '../theme';
import { Icon, type IconName } from './icons';

const NAV: ReadonlyArray<{ page: Page; icon: IconName }> = [
  { page: 'dashboard', icon: 'dashboard' },
  { page: 'keys', icon: 'key' },
  { page: 'clients', icon: 'users' },
  { page: 'models', icon: 'map' },
  { page: 'logs', icon: 'list' },
  { page: 'settings', icon: 'settings' },
];

/** Picks the UI's language. */
export function LangSwitch(props: { onLang: (lang: Lang) => void }) {
  return (
    <label class="lang-switch" title={t('app.language')}>
      <Icon name="globe" size={16} />
      <span class="sr-only">{t('app.language')}</span>
      <select
        aria-label={t('app.language')}
        value={getLang()}
        onChange={(e: Event) => props.onLang((e.target as HTMLSelectElement).value as Lang)}
      >
        {LANGS.map((l) => (
          <option value={l.id} selected={l.id === getLang()}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Light / dark. */
export function ThemeToggle(props: { onTheme: (theme: Theme) => void }) {
  const dark = isDark();
  return (
    <button
      type="button"
      class="icon-button"
      aria-label={dark ? t('app.themeLight') : t('app.themeDark')}
      title={dark ? t('app.themeLight') : t('app.themeDark')}
      onClick={() => props.onTheme(dark ? 'light' : 'dark')}
    >
      <Icon name={dark ? 'sun' : 'moon'} />
    </button>
  );
}

/** The frame of every signed-in page: sidebar (a drawer on phones) and top bar. */
export function Layout(props: {
  page: Page;
  runtime: string;
  onLang: (lang: Lang) => void;
  onTheme: (theme: Theme) => void;
  onLogout: () => void;
  /** Ends every session on the server, this one included. */
  onLogoutEverywhere: () => void;
  children: Child;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div class={`shell${open ? ' nav-open' : ''}`}>
      <aside class="sidebar" aria-label={t('app.navigation')}>
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            <Icon name="pulse" size={18} />
          </span>
          <span class="brand-name">CloudRouter</span>
        </div>
        <nav>
          {NAV.map((item) => (
            <a
              href={hrefOf(item.page)}
              class={`nav-link${item.page === props.page ? ' active' : ''}`}
              aria-current={item.page === props.page ? 'page' : undefined}
              onClick={() => setOpen(false)}
            >
              <Icon name={item.icon} />
              <span>{t(`nav.${item.page}`)}</span>
            </a>
          ))}
        </nav>
        <div class="sidebar-foot">
          <div class="drawer-lang">
            <LangSwitch onLang={props.onLang} />
          </div>
          <button type="button" class="link-button small" onClick={props.onLogoutEverywhere}>
            {t('app.logoutEverywhere')}
          </button>
          <span class="runtime-tag">
            {t('app.runtime', { runtime: props.runtime === 'workers' ? 'Workers' : 'Node.js' })}
          </span>
        </div>
      </aside>
      <button
        type="button"
        class="scrim"
        tabIndex={-1}
        aria-label={t('common.close')}
        onClick={() => setOpen(false)}
      />
      <div class="main">
        <header class="topbar">
          <button
            type="button"
            class="icon-button menu-button"
            aria-label={t('app.menu')}
            onClick={() => setOpen(!open)}
          >
            <Icon name="menu" />
          </button>
          <h1 class="page-title">{t(`nav.${props.page}`)}</h1>
          <div class="topbar-tools">
            <span class="topbar-lang">
              <LangSwitch onLang={props.onLang} />
            </span>
            <ThemeToggle onTheme={props.onTheme} />
            <button
              type="button"
              class="button button-ghost"
              aria-label={t('app.logout')}
              onClick={props.onLogout}
            >
              <Icon name="logout" size={16} />
              <span class="hide-narrow">{t('app.logout')}</span>
            </button>
          </div>
        </header>
        <main class="content">{props.children}</main>
      </div>
    </div>
  );
}
