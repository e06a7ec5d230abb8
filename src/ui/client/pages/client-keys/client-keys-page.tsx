/** @jsxImportSource hono/jsx/dom */
import { Empty, ErrorBox, Spinner } from '../../components/bits';
import { confirmDialog } from '../../components/confirm';
import { Icon } from '../../components/icons';
import { toast } from '../../components/toast';
import { t } from '../../i18n';
import { api } from '../../lib/api';
import { draftOf, EMPTY_DRAFT } from '../../lib/client-key-form';
import { useLoad, useSafeState } from '../../lib/hooks';
import type { ClientKeyView } from '../../lib/types';
import { ClientKeyForm } from './client-key-form';
import { ClientKeysTable } from './client-keys-table';
import { CreatedKey } from './created-key';

/** The keys clients use: create (plaintext once), edit, disable, delete, usage. */
export function ClientKeysPage() {
  const list = useLoad(() => api.get<{ data: ClientKeyView[] }>('/admin/api/client-keys'), []);
  const [creating, setCreating] = useSafeState(false);
  const [editing, setEditing] = useSafeState<ClientKeyView | null>(null);
  const [created, setCreated] = useSafeState<(ClientKeyView & { key: string }) | null>(null);
  const keys = list.data?.data ?? [];

  const toggle = async (k: ClientKeyView) => {
    try {
      await api.patch(`/admin/api/client-keys/${encodeURIComponent(k.id)}`, { enabled: !k.enabled });
      toast.ok(
        k.enabled
          ? t('clients.disabledToast', { name: k.name })
          : t('clients.enabledToast', { name: k.name }),
      );
    } catch (err) {
      toast.error(err instanceof Error ? err.message : String(err));
    }
    list.reload();
  };
  const remove = async (k: ClientKeyView) => {
    const yes = await confirmDialog({
      title: t('clients.deleteTitle'),
      message: t('clients.deleteText', { name: k.name }),
      confirm: t('common.delete'),
      danger: true,
    });
    if (!yes) return;
    try {
      await api.del(`/admin/api/client-keys/${encodeURIComponent(k.id)}`);
      toast.ok(t('clients.deletedToast', { name: k.name }));
    } catch (err) {
      toast.error(err instanceof Error ? err.message : String(err));
    }
    list.reload();
  };

  return (
    <div class="page clients-page">
      <div class="toolbar">
        <p class="muted toolbar-text">{t('clients.intro')}</p>
        <div class="toolbar-actions">
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            <Icon name="plus" size={16} />
            <span>{t('clients.new')}</span>
          </button>
        </div>
      </div>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data === null && list.loading ? <Spinner label={t('common.loading')} /> : null}
      {list.data && keys.length === 0 ? (
        <Empty icon="users" title={t('clients.emptyTitle')}>
          <p>{t('clients.emptyText')}</p>
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            <Icon name="plus" size={16} />
            <span>{t('clients.new')}</span>
          </button>
        </Empty>
      ) : null}
      {keys.length > 0 ? (
        <ClientKeysTable keys={keys} onEdit={setEditing} onToggle={toggle} onRemove={remove} />
      ) : null}
      {creating ? (
        <ClientKeyForm
          title={t('clients.new')}
          initial={EMPTY_DRAFT}
          submitLabel={t('clients.create')}
          showEnabled={false}
          onClose={() => setCreating(false)}
          onSubmit={async (body) => {
            const answer = await api.post<ClientKeyView & { key: string }>('/admin/api/client-keys', body);
            setCreating(false);
            setCreated(answer);
            list.reload();
          }}
        />
      ) : null}
      {editing ? (
        <ClientKeyForm
          title={t('clients.editTitle', { name: editing.name })}
          initial={draftOf(editing)}
          submitLabel={t('common.save')}
          showEnabled
          onClose={() => setEditing(null)}
          onSubmit={async (body) => {
            await api.patch(`/admin/api/client-keys/${encodeURIComponent(editing.id)}`, body);
            setEditing(null);
            toast.ok(t('common.saved'));
            list.reload();
          }}
        />
      ) : null}
      {created ? <CreatedKey created={created} onClose={() => setCreated(null)} /> : null}
    </div>
  );
}
