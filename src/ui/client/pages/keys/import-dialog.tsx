/** @jsxImportSource hono/jsx/dom */
import { useRef } from 'hono/jsx/dom';
import { ErrorBox, ProgressBar } from '../../components/bits';
import { Modal } from '../../components/modal';
import { t } from '../../i18n';
import { api } from '../../lib/api';
import { useSafeState } from '../../lib/hooks';
import { chunks, parseKeyList } from '../../lib/key-list';

/** Keys go in by 500 per call: each call stays well within a Worker's limits. */
const CHUNK = 500;

interface Progress {
  done: number;
  total: number;
  added: number;
  skipped: number;
  /** Keys the server refused as malformed: their position in the pasted list (from 1) and why. */
  rejected: Array<{ n: number; reason: string }>;
}

/** Most refusals listed by position; the rest are counted. */
const SHOWN_REFUSALS = 20;

/** Paste many keys at once; they go in by chunks, with progress. */
export function ImportDialog(props: { onClose: () => void; onImported: () => void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [label, setLabel] = useSafeState('');
  const [count, setCount] = useSafeState({ keys: 0, repeats: 0 });
  const [progress, setProgress] = useSafeState<Progress | null>(null);
  const [error, setError] = useSafeState<Error | null>(null);
  const [busy, setBusy] = useSafeState(false);

  const recount = () => {
    const parsed = parseKeyList(area.current?.value ?? '');
    setCount({ keys: parsed.keys.length, repeats: parsed.repeats });
  };

  const run = async () => {
    const { keys } = parseKeyList(area.current?.value ?? '');
    if (keys.length === 0 || busy) return;
    setBusy(true);
    setError(null);
    const state: Progress = { done: 0, total: keys.length, added: 0, skipped: 0, rejected: [] };
    setProgress({ ...state });
    try {
      for (const part of chunks(keys, CHUNK)) {
        const answer = await api.post<{
          added: unknown[];
          skipped: number;
          rejected?: Array<{ index: number; reason: string }>;
        }>('/admin/api/keys', {
          keys: part,
          ...(label.trim() ? { label: label.trim() } : {}),
        });
        for (const r of answer.rejected ?? [])
          state.rejected.push({ n: state.done + r.index + 1, reason: r.reason });
        state.done += part.length;
        state.added += answer.added.length;
        state.skipped += answer.skipped;
        setProgress({ ...state });
      }
      if (area.current) area.current.value = '';
      setCount({ keys: 0, repeats: 0 });
      props.onImported();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      if (state.done > 0) props.onImported();
    } finally {
      setBusy(false);
    }
  };

  const finished = progress !== null && progress.done === progress.total && !busy;
  return (
    <Modal
      title={t('import.title')}
      wide
      busy={busy}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" class="button" disabled={busy} onClick={props.onClose}>
            {finished ? t('common.done') : t('common.cancel')}
          </button>
          <button
            type="button"
            class="button button-primary"
            disabled={busy || count.keys === 0}
            onClick={run}
          >
            {busy ? t('import.importing') : t('import.submit', { n: count.keys })}
          </button>
        </>
      }
    >
      <p class="muted">{t('import.help')}</p>
      <label class="field">
        <span class="field-label">{t('import.keys')}</span>
        <textarea
          ref={area}
          class="mono key-paste"
          rows={10}
          spellcheck={false}
          autocomplete="off"
          placeholder={'sk-or-v1-…\nsk-or-v1-…'}
          onInput={recount}
          disabled={busy}
          aria-label={t('import.keys')}
        />
      </label>
      <div class="field-note">
        {t('import.count', { n: count.keys })}
        {count.repeats ? ` · ${t('import.repeats', { n: count.repeats })}` : ''}
      </div>
      <label class="field">
        <span class="field-label">{t('import.label')}</span>
        <input
          type="text"
          maxlength={200}
          value={label}
          placeholder={t('import.labelPlaceholder')}
          onInput={(e: Event) => setLabel((e.target as HTMLInputElement).value)}
          disabled={busy}
        />
      </label>
      {progress ? (
        <div class="import-progress">
          <ProgressBar
            value={progress.done}
            max={progress.total}
            label={t('import.progress', { done: progress.done, total: progress.total })}
          />
          <p class={finished && !error ? 'import-result ok' : 'import-result'}>
            {t('import.result', { added: progress.added, skipped: progress.skipped })}
          </p>
          {progress.rejected.length ? (
            <div class="import-rejected" role="alert">
              <p>{t('import.rejected', { n: progress.rejected.length })}</p>
              <ul>
                {progress.rejected.slice(0, SHOWN_REFUSALS).map((r) => (
                  <li key={r.n}>{t('import.rejectedItem', { n: r.n, reason: r.reason })}</li>
                ))}
              </ul>
              {progress.rejected.length > SHOWN_REFUSALS ? (
                <p class="muted">
                  {t('import.rejectedMore', { n: progress.rejected.length - SHOWN_REFUSALS })}
                </p>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
      <ErrorBox error={error} />
    </Modal>
  );
}
