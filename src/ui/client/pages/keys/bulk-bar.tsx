/** @jsxImportSource hono/jsx/dom */
import { ProgressBar } from '../../components/bits';
import { t } from '../../i18n';
import type { BulkAction } from './bulk';

const ACTIONS: ReadonlyArray<{ action: BulkAction; label: () => string; danger?: boolean }> = [
  { action: 'enable', label: () => t('keys.enable') },
  { action: 'disable', label: () => t('keys.disable') },
  { action: 'check', label: () => t('keys.checkNow') },
  { action: 'delete', label: () => t('common.delete'), danger: true },
];

/**
 * What to do with the selected keys, or the progress of what is being done.
 * `offerAll` is the number of matching keys when the whole page is selected
 * and more keys match than the page shows.
 */
export function BulkBar(props: {
  progress: { done: number; total: number } | null;
  selected: number;
  offerAll: number | null;
  onSelectAll: () => void;
  onAction: (action: BulkAction) => void;
  onClear: () => void;
}) {
  const { progress } = props;
  return (
    <section class="bulk-bar" aria-label={t('keys.bulk')}>
      {progress ? (
        <ProgressBar
          value={progress.done}
          max={progress.total}
          label={t('keys.bulkProgress', { done: progress.done, total: progress.total })}
        />
      ) : (
        <>
          <span class="bulk-count">{t('keys.selected', { n: props.selected })}</span>
          {props.offerAll !== null ? (
            <button type="button" class="link-button" onClick={props.onSelectAll}>
              {t('keys.selectAllMatching', { n: props.offerAll })}
            </button>
          ) : null}
          <div class="bulk-actions">
            {ACTIONS.map((a) => (
              <button
                type="button"
                class={`button button-small${a.danger ? ' button-danger' : ''}`}
                onClick={() => props.onAction(a.action)}
              >
                {a.label()}
              </button>
            ))}
            <button type="button" class="button button-small button-ghost" onClick={props.onClear}>
              {t('keys.clearSelection')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
