/** @jsxImportSource hono/jsx/dom */
import { useEffect, useState } from 'hono/jsx/dom';
import { t } from '../i18n';
import { Modal } from './modal';

interface Ask {
  title: string;
  message: string;
  confirm: string;
  danger: boolean;
  resolve: (yes: boolean) => void;
}

let show: (ask: Ask | null) => void = () => {};

/** Asks the user to confirm; resolves true when they do. */
export function confirmDialog(options: {
  title: string;
  message: string;
  confirm?: string;
  danger?: boolean;
}): Promise<boolean> {
  return new Promise((resolve) =>
    show({
      title: options.title,
      message: options.message,
      confirm: options.confirm ?? t('common.confirm'),
      danger: options.danger ?? false,
      resolve,
    }),
  );
}

/** Where the confirm dialog shows; mounted once. */
export function ConfirmHost() {
  const [ask, setAsk] = useState<Ask | null>(null);
  useEffect(() => {
    show = setAsk;
  }, []);
  if (!ask) return null;
  const answer = (yes: boolean) => {
    setAsk(null);
    ask.resolve(yes);
  };
  return (
    <Modal
      title={ask.title}
      onClose={() => answer(false)}
      footer={
        <>
          <button type="button" class="button" onClick={() => answer(false)}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            class={`button ${ask.danger ? 'button-danger' : 'button-primary'}`}
            data-autofocus
            onClick={() => answer(true)}
          >
            {ask.confirm}
          </button>
        </>
      }
    >
      <p class="confirm-text">{ask.message}</p>
    </Modal>
  );
}
