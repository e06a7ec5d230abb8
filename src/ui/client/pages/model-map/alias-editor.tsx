/** @jsxImportSource hono/jsx/dom */
import { ErrorBox, IconButton } from '../../components/bits';
import { Icon } from '../../components/icons';
import { t } from '../../i18n';
import { type AliasRow, newRow, rowProblems } from '../../lib/alias-rows';

/** Rows of `name → OpenRouter id`, with add, remove, save and discard. */
export function AliasEditor(props: {
  rows: AliasRow[];
  dirty: boolean;
  saving: boolean;
  error: Error | null;
  /** Gets a change of the rows, applied to the latest rows (inputs can fire twice before a render). */
  onRows: (change: (rows: AliasRow[]) => AliasRow[]) => void;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const { rows } = props;
  const problems = rowProblems(rows);
  const edit = (key: number, field: 'name' | 'target', value: string) =>
    props.onRows((latest) => latest.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  return (
    <section class="card">
      <div class="card-head">
        <h2>{t('models.aliases')}</h2>
        <span class="muted small">{t('models.aliasCount', { n: rows.length })}</span>
      </div>
      <p class="muted small">{t('models.aliasHelp')}</p>
      {rows.length === 0 ? <p class="muted">{t('models.noAliases')}</p> : null}
      <div class="alias-list">
        {rows.map((row) => (
          <div class={`alias-row${problems.has(row.key) ? ' has-problem' : ''}`} key={row.key}>
            <input
              type="text"
              class="mono"
              placeholder="gpt-4o*"
              aria-label={t('models.aliasName')}
              value={row.name}
              onInput={(e: Event) => edit(row.key, 'name', (e.target as HTMLInputElement).value)}
            />
            <span class="arrow" aria-hidden="true">
              →
            </span>
            <input
              type="text"
              class="mono"
              placeholder="openai/gpt-4o*"
              aria-label={t('models.aliasTarget')}
              value={row.target}
              onInput={(e: Event) => edit(row.key, 'target', (e.target as HTMLInputElement).value)}
            />
            <IconButton
              icon="trash"
              label={t('models.removeAlias')}
              danger
              onClick={() => props.onRows((latest) => latest.filter((r) => r.key !== row.key))}
            />
            {problems.has(row.key) ? (
              <span class="field-error alias-problem">
                {t(problems.get(row.key) === 'empty' ? 'models.problemEmpty' : 'models.problemDuplicate')}
              </span>
            ) : null}
          </div>
        ))}
      </div>
      <ErrorBox error={props.error} />
      <div class="form-actions spread">
        <button type="button" class="button" onClick={() => props.onRows((latest) => [...latest, newRow()])}>
          <Icon name="plus" size={16} />
          <span>{t('models.addAlias')}</span>
        </button>
        <div class="form-actions">
          {props.dirty ? <span class="muted small">{t('models.unsaved')}</span> : null}
          <button
            type="button"
            class="button"
            disabled={!props.dirty || props.saving}
            onClick={props.onDiscard}
          >
            {t('models.discard')}
          </button>
          <button
            type="button"
            class="button button-primary"
            disabled={!props.dirty || props.saving || problems.size > 0}
            onClick={props.onSave}
          >
            {props.saving ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </div>
    </section>
  );
}
