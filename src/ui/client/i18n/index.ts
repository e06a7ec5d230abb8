import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey } from './en';

/** The languages of the UI. */
export type Lang = 'en' | 'zh-CN';
export const LANGS: ReadonlyArray<{ id: Lang; name: string }> = [
  { id: 'en', name: 'English' },
  { id: 'zh-CN', name: '简体中文' },
];

const DICTS: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'cloudrouter.lang';

let lang: Lang = 'en';

/** The language a visitor gets: the one they chose before, else the browser's (any `zh*` → 简体中文). */
export function detectLang(languages: readonly string[], stored: string | null): Lang {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const tag of languages) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The language in use. */
export function getLang(): Lang {
  return lang;
}

/** Switches the language (and remembers it when `remember`). */
export function setLang(next: Lang, remember = true): void {
  lang = next;
  document.documentElement.lang = next;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }
}

/** Picks the starting language from localStorage and `navigator.languages`. */
export function initLang(): Lang {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  setLang(detectLang(navigator.languages ?? [navigator.language], stored), false);
  return lang;
}

/** The text of `key` in the current language, `{name}` placeholders filled in. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = DICTS[lang][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? value.toLocaleString(lang) : value;
  });
}

/** Exposed for the dictionary test. */
export const dictionaries = DICTS;
