/** @jsxImportSource hono/jsx/dom */
import { render } from 'hono/jsx/dom';
import { App } from './app';
import { initLang } from './i18n';
import { applyTheme, getTheme } from './theme';

applyTheme(getTheme(), false);
initLang();
const root = document.getElementById('app');
if (root) render(<App />, root);
