/** @jsxImportSource hono/jsx/dom */
import { useEffect, useState } from 'hono/jsx/dom';
import { t } from '../i18n';

interface Toast {
  id: number;
  kind: 'ok' | 'error' | 'info';
  text: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<(list: Toast[]) => void>();

function publish(list: Toast[]): void {
  toasts = list;
  for (const listener of listeners) listener(list);
}

function push(kind: Toast['kind'], text: string, ms: number): void {
  const id = nextId++;
  publish([...toasts.slice(-3), { id, kind, text }]);
  setTimeout(() => publish(toasts.filter((t) => t.id !== id)), ms);
}

/** Short messages at the corner of the screen. */
export const toast = {
  ok: (text: string) => push('ok', text, 3500),
  info: (text: string) => push('info', text, 3500),
  error: (text: string) => push('error', text, 7000),
};

/** Where the toasts show. */
export function Toasts() {
  const [list, setList] = useState<Toast[]>(toasts);
  useEffect(() => {
    listeners.add(setList);
    return () => {
      listeners.delete(setList);
    };
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((item) => (
        <div key={item.id} class={`toast toast-${item.kind}`}>
          <span>{item.text}</span>
          <button
            type="button"
            class="toast-close"
            aria-label={t('common.close')}
            onClick={() => publish(toasts.filter((x) => x.id !== item.id))}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
