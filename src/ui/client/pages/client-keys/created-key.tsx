/** @jsxImportSource hono/jsx/dom */
import { useState } from 'hono/jsx/dom';
import { CopyButton } from '../../components/bits';
import { Icon } from '../../components/icons';
import { Modal } from '../../components/modal';
import { t } from '../../i18n';
import { sampleModel, snippets } from '../../lib/snippets';
import type { ClientKeyView } from '../../lib/types';

type Tab = 'curl' | 'js' | 'python';
const TABS: ReadonlyArray<{ id: Tab; name: string }> = [
  { id: 'curl', name: 'curl' },
  { id: 'js', name: 'JavaScript' },
  { id: 'python', name: 'Python' },
];

/** The new key's plaintext, shown this once, with code ready to paste. */
export function CreatedKey(props: { created: ClientKeyView & { key: string }; onClose: () => void }) {
  const [tab, setTab] = useState<Tab>('curl');
  const base = `${location.origin}/v1`;
  const code = snippets(base, props.created.key, sampleModel(props.created.models));
  return (
    <Modal
      title={t('clients.createdTitle', { name: props.created.name })}
      wide
      onClose={props.onClose}
      footer={
        <button type="button" class="button button-primary" onClick={props.onClose}>
          {t('clients.savedIt')}
        </button>
      }
    >
      <div class="alert alert-warn">
        <Icon name="alert" />
        <span>{t('clients.shownOnce')}</span>
      </div>
      <div class="secret-row">
        <code class="secret" data-testid="new-client-key">
          {props.created.key}
        </code>
        <CopyButton text={props.created.key} />
      </div>
      <p class="muted small">{t('clients.baseUrl', { url: base })}</p>
      <div class="tabs" role="tablist">
        {TABS.map((x) => (
          <button
            type="button"
            role="tab"
            aria-selected={tab === x.id}
            class={tab === x.id ? 'tab on' : 'tab'}
            onClick={() => setTab(x.id)}
          >
            {x.name}
          </button>
        ))}
      </div>
      <div class="code-box">
        <pre class="code">{code[tab]}</pre>
        <CopyButton text={code[tab]} class="code-copy" />
      </div>
    </Modal>
  );
}
