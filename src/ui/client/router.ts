import { useEffect, useState } from 'hono/jsx/dom';

/** The pages of the console, addressed by the URL's hash (`#/keys`). */
export const PAGES = ['dashboard', 'keys', 'clients', 'models', 'logs', 'settings'] as const;
export type Page = (typeof PAGES)[number];

function current(): Page {
  const name = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'dashboard';
}

/** The page the hash points at, following changes. */
export function useRoute(): Page {
  const [page, setPage] = useState<Page>(current());
  useEffect(() => {
    const onChange = () => setPage(current());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return page;
}

/** The link to a page. */
export function hrefOf(page: Page): string {
  return `#/${page}`;
}
