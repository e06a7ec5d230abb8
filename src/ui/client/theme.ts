/** The colour scheme: the system's, or one the user picked. */
export type Theme = 'auto' | 'light' | 'dark';

const STORAGE_KEY = 'cloudrouter.theme';

/** The theme the user picked before, or `auto`. */
export function getTheme(): Theme {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // No storage: follow the system.
  }
  return 'auto';
}

/** Applies a theme to the page (`data-theme` on <html>) and remembers it. */
export function applyTheme(theme: Theme, remember = true): void {
  const root = document.documentElement;
  if (theme === 'auto') delete root.dataset.theme;
  else root.dataset.theme = theme;
  if (!remember) return;
  try {
    if (theme === 'auto') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Private mode.
  }
}

/** Whether the page is dark right now. */
export function isDark(): boolean {
  const set = document.documentElement.dataset.theme;
  if (set) return set === 'dark';
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}
