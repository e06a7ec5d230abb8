/** @jsxImportSource hono/jsx/dom */
import { useEffect } from 'hono/jsx/dom';
import { ErrorBox, Spinner } from '../../components/bits';
import { toast } from '../../components/toast';
import { t } from '../../i18n';
import { type AliasRow, changed, mapOf, newRow, rowsOf } from '../../lib/alias-rows';
import { api } from '../../lib/api';
import { useLoad, useSafeState } from '../../lib/hooks';
import { AliasEditor } from './alias-editor';
import { Catalogue } from './catalogue';
import { TryName } from './try-name';

/** Aliases (edited and checked by the server), a resolver to try names on, and the catalogue. */
export function ModelMapPage() {
  const stored = useLoad(() => api.get<{ aliases: Record<string, string> }>('/admin/api/model-map'), []);
  const [rows, setRows] = useSafeState<AliasRow[]>([]);
  const [saving, setSaving] = useSafeState(false);
  const [error, setError] = useSafeState<Error | null>(null);
  useEffect(() => {
    if (stored.data) setRows(rowsOf(stored.data.aliases));
  }, [stored.data]);

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const saved = await api.put<{ aliases: Record<string, string> }>('/admin/api/model-map', mapOf(rows));
      setRows(rowsOf(saved.aliases));
      toast.ok(t('models.saved'));
      await stored.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setSaving(false);
    }
  };

  const useTarget = (id: string) => {
    const bare = id.includes('/') ? id.slice(id.indexOf('/') + 1) : id;
    setRows((latest) => [...latest, newRow(bare, id)]);
    toast.info(t('models.rowAdded', { id }));
  };

  return (
    <div class="page models-page">
      <ErrorBox error={stored.error} onRetry={stored.reload} />
      {stored.data === null && stored.loading ? <Spinner label={t('common.loading')} /> : null}
      <div class="grid-2 wide-first">
        {stored.data ? (
          <AliasEditor
            rows={rows}
            dirty={changed(rows, stored.data.aliases)}
            saving={saving}
            error={error}
            onRows={setRows}
            onSave={save}
            onDiscard={() => {
              setRows(rowsOf(stored.data?.aliases ?? {}));
              setError(null);
            }}
          />
        ) : (
          <div />
        )}
        <TryName />
      </div>
      <Catalogue onUse={useTarget} />
    </div>
  );
}
