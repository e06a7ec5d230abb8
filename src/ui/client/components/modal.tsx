/** @jsxImportSource hono/jsx/dom */
import type { Child } from 'hono/jsx';
import { useEffect, useRef } from 'hono/jsx/dom';
import { t } from '../i18n';

/** A dialog over the page; Escape or the backdrop closes it (unless `busy`). */
export function Modal(props: {
  title: string;
  onClose: () => void;
  children: Child;
  footer?: Child;
  wide?: boolean;
  busy?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const close = useRef(props.onClose);
  close.current = props.busy ? () => {} : props.onClose;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
    };
    document.addEventListener('keydown', onKey);
    // A click on the backdrop itself (not inside the dialog) closes it, as Escape does.
    const onBackdrop = (e: MouseEvent) => {
      if (e.target === e.currentTarget) close.current();
    };
    backdrop.current?.addEventListener('click', onBackdrop);
    const root = box.current;
    const first =
      root?.querySelector<HTMLElement>('[data-autofocus]') ??
      root?.querySelector<HTMLElement>('.modal-body input, .modal-body textarea, .modal-body select');
    first?.focus();
    return () => {
      document.removeEventListener('keydown', onKey);
      backdrop.current?.removeEventListener('click', onBackdrop);
      previous?.focus?.();
    };
  }, []);
  return (
    <div class="modal-backdrop" ref={backdrop}>
      <div
        class={`modal${props.wide ? ' modal-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        ref={box}
      >
        <div class="modal-head">
          <h2>{props.title}</h2>
          <button
            type="button"
            class="icon-button"
            aria-label={t('common.close')}
            onClick={() => close.current()}
          >
            ×
          </button>
        </div>
        <div class="modal-body">{props.children}</div>
        {props.footer ? <div class="modal-foot">{props.footer}</div> : null}
      </div>
    </div>
  );
}
