/** @jsxImportSource hono/jsx/dom */
import { useState } from 'hono/jsx/dom';
import { ActionsHeader, ErrorBox, SearchBox, Spinner } from '../../components/bits';
import { t } from '../../i18n';
import { api } from '../../lib/api';
import { compact, money, relative } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import type { CatalogModel } from '../../lib/types';

const SHOWN = 100;

function perMillion(price: string | undefined): string {
  const n = Number(price);
  return Number.isFinite(n) ? money(n * 1_000_000) : '—';
}

/** OpenRouter's models as last fetched, searchable; each can become an alias target. */
export function Catalogue(props: { onUse: (id: string) => void }) {
  const catalog = useLoad(
    () =>
      api.get<{ data: CatalogModel[]; fetched_at: string | null; error: string | null }>(
        '/admin/api/catalog',
      ),
    [],
  );
  const [q, setQ] = useState('');
  const [more, setMore] = useState(false);
  const all = catalog.data?.data ?? [];
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const found = all.filter((m) => {
    const text = `${m.id} ${m.name ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const shown = more ? found : found.slice(0, SHOWN);
  return (
    <section class="card">
      <div class="card-head">
        <h2>{t('models.catalogue')}</h2>
        <span class="muted small">
          {catalog.data?.fetched_at
            ? t('models.fetched', { n: all.length, when: relative(catalog.data.fetched_at) })
            : ''}
        </span>
      </div>
      <SearchBox label={t('models.searchCatalogue')} value={q} onInput={setQ} />
      <ErrorBox error={catalog.error ?? catalog.data?.error ?? null} onRetry={catalog.reload} />
      {catalog.data === null && catalog.loading ? <Spinner /> : null}
      {catalog.data && all.length === 0 ? <p class="muted">{t('models.catalogueEmpty')}</p> : null}
      {found.length > 0 ? (
        <div class="table-wrap catalogue-wrap">
          <table class="table compact-table">
            <thead>
              <tr>
                <th>{t('models.modelId')}</th>
                <th class="hide-narrow">{t('models.context')}</th>
                <th class="num hide-narrow">{t('models.price')}</th>
                <ActionsHeader />
              </tr>
            </thead>
            <tbody>
              {shown.map((m) => (
                <tr>
                  <td>
                    <code>{m.id}</code>
                    {m.name ? <div class="muted small">{m.name}</div> : null}
                  </td>
                  <td class="hide-narrow">{m.context_length ? compact(m.context_length) : '—'}</td>
                  <td class="num hide-narrow nowrap">
                    {m.pricing
                      ? `${perMillion(m.pricing.prompt)} / ${perMillion(m.pricing.completion)}`
                      : '—'}
                  </td>
                  <td class="actions-col">
                    <button type="button" class="button button-small" onClick={() => props.onUse(m.id)}>
                      {t('models.useAsTarget')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {catalog.data && all.length > 0 && found.length === 0 ? (
        <p class="muted">{t('models.noMatch')}</p>
      ) : null}
      {!more && found.length > SHOWN ? (
        <button type="button" class="link-button" onClick={() => setMore(true)}>
          {t('models.showAll', { n: found.length })}
        </button>
      ) : null}
    </section>
  );
}
