// The alert settings' form: what the admin types, and the body it sends. Types come from the
// server's modules (types only: nothing of them reaches the bundle).
import type { WebhookFormat } from '../../../alerts/alert-message';
import type { AlertSettings } from '../../../alerts/alert-settings';

export type { WebhookFormat };
/** The alert settings as the admin API has them. */
export type AlertSettingsView = AlertSettings;

/** The formats offered, in the server's order. */
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['json', 'slack', 'feishu', 'dingtalk', 'wecom'];

/** The form's fields, as typed: numbers as text, the error rate in percent. */
export interface AlertDraft {
  webhooks: Array<{ key: number; url: string; format: WebhookFormat }>;
  lang: 'en' | 'zh-CN';
  min_usable_keys: string;
  key_dead: boolean;
  min_credit: string;
  max_error_rate_pct: string;
  window_minutes: string;
}

let nextKey = 1;

/** A blank webhook row, with a key of its own for the list. */
export function blankWebhook(format: WebhookFormat = 'json'): AlertDraft['webhooks'][number] {
  return { key: nextKey++, url: '', format };
}

/** The form's draft of loaded settings. */
export function alertDraft(s: AlertSettingsView): AlertDraft {
  return {
    webhooks: s.webhooks.map((w) => ({ key: nextKey++, url: w.url, format: w.format })),
    lang: s.lang,
    min_usable_keys: s.min_usable_keys?.toString() ?? '',
    key_dead: s.key_dead,
    min_credit: s.min_credit?.toString() ?? '',
    max_error_rate_pct: s.max_error_rate === null ? '' : String(Math.round(s.max_error_rate * 1000) / 10),
    window_minutes: String(s.window_minutes),
  };
}

const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text.trim()));

/** The PUT body of a draft: an empty field turns its rule off; webhook rows left blank are dropped. */
export function alertBody(d: AlertDraft): Record<string, unknown> {
  const rate = numberOrNull(d.max_error_rate_pct);
  return {
    webhooks: d.webhooks
      .filter((w) => w.url.trim() !== '')
      .map((w) => ({ url: w.url.trim(), format: w.format })),
    lang: d.lang,
    min_usable_keys: numberOrNull(d.min_usable_keys),
    key_dead: d.key_dead,
    min_credit: numberOrNull(d.min_credit),
    max_error_rate: rate === null ? null : rate / 100,
    window_minutes: Number(d.window_minutes.trim() || 'NaN'),
  };
}
