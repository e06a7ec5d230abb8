/** @jsxImportSource hono/jsx/dom */
import { t } from '../../i18n';
import { num } from '../../lib/format';
import { KEY_STATUSES, type KeyPage } from '../../lib/types';

/** The keys by status: one bar split by status, and a link per status to the keys page filtered. */
export function PoolCard(props: { counts: KeyPage['counts']; checks?: KeyPage['checks'] }) {
  const { counts } = props;
  const all = counts.all;
  return (
    <section class="card pool-card">
      <div class="card-head">
        <h2>{t('dash.pool')}</h2>
        <a class="link" href="#/keys">
          {t('dash.manageKeys')}
        </a>
      </div>
      {all === 0 ? (
        <p class="muted">
          {t('dash.noKeys')}{' '}
          <a class="link" href="#/keys">
            {t('dash.addKeys')}
          </a>
        </p>
      ) : (
        <>
          <div class="stack-bar" role="img" aria-label={t('dash.pool')}>
            {KEY_STATUSES.filter((s) => counts[s] > 0).map((s) => (
              <span
                class={`stack-seg seg-${s}`}
                style={{ width: `${((counts[s] / all) * 100).toFixed(2)}%` }}
              />
            ))}
          </div>
          <ul class="stack-legend">
            {KEY_STATUSES.map((s) => (
              <li>
                <a href={`#/keys?status=${s}`} class="legend-link">
                  <i class={`legend-dot seg-${s}`} />
                  <span>{t(`status.${s}`)}</span>
                  <b>{num(counts[s])}</b>
                </a>
              </li>
            ))}
          </ul>
          {props.checks ? (
            <p class="pool-checks">
              <span>{t('dash.checked', { n: num(props.checks.checked) })}</span>
              {props.checks.unchecked > 0 ? (
                <a href="#/keys?checked=false" class="link pool-unchecked">
                  {t('dash.keysUnchecked', { n: num(props.checks.unchecked) })}
                </a>
              ) : null}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
