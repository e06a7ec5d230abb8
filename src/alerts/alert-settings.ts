import { bad, expectObject, optBool, optInt } from '../lib/body-check';
import { ALERT_LANGS, type AlertLang, WEBHOOK_FORMATS, type WebhookFormat } from './alert-message';
import type { AlertRules } from './alert-policy';

/** One webhook: where alerts are posted and in which message format. */
export interface Webhook {
  url: string;
  format: WebhookFormat;
}

/** The `alerts` record: the rules, the webhooks and the language of the messages. */
export interface AlertSettings extends AlertRules {
  webhooks: Webhook[];
  lang: AlertLang;
}

/** Nothing is posted until the admin adds a webhook; the rules start on sensible values. */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  webhooks: [],
  lang: 'en',
  min_usable_keys: 1,
  key_dead: true,
  min_credit: null,
  max_error_rate: 0.5,
  window_minutes: 60,
};

export const MAX_WEBHOOKS = 10;
const MAX_URL_CHARS = 2048;
/** The ranges of the rules' numbers. */
export const ALERT_LIMITS = {
  minUsableKeys: { min: 1, max: 1_000_000 },
  minCredit: { min: 0, max: 1_000_000 },
  windowMinutes: { min: 1, max: 7 * 24 * 60 },
} as const;

const FIELDS = [
  'webhooks',
  'lang',
  'min_usable_keys',
  'key_dead',
  'min_credit',
  'max_error_rate',
  'window_minutes',
] as const;

/** Checks a PUT body over the current settings: absent fields keep their value, null turns a rule off. */
export function parseAlertSettings(body: unknown, current: AlertSettings): AlertSettings {
  const input = expectObject(body, FIELDS);
  const next: AlertSettings = { ...current };
  if (input.webhooks !== undefined) next.webhooks = parseWebhooks(input.webhooks);
  if (input.lang !== undefined) {
    if (!ALERT_LANGS.includes(input.lang as AlertLang))
      throw bad(`"lang" must be one of ${ALERT_LANGS.join(', ')}`);
    next.lang = input.lang as AlertLang;
  }
  const minKeys = optInt(input, 'min_usable_keys', ALERT_LIMITS.minUsableKeys);
  if (minKeys !== undefined) next.min_usable_keys = minKeys;
  const keyDead = optBool(input, 'key_dead');
  if (keyDead !== undefined) next.key_dead = keyDead;
  if (input.min_credit !== undefined)
    next.min_credit = share(input.min_credit, 'min_credit', ALERT_LIMITS.minCredit);
  if (input.max_error_rate !== undefined)
    next.max_error_rate = share(input.max_error_rate, 'max_error_rate', { min: 0, max: 1 });
  const window = optInt(input, 'window_minutes', ALERT_LIMITS.windowMinutes);
  if (window === null) throw bad('"window_minutes" cannot be null');
  if (window !== undefined) next.window_minutes = window;
  return next;
}

/** A number from `min` (exclusive) to `max`, or null. */
function share(value: unknown, field: string, range: { min: number; max: number }): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= range.min || value > range.max)
    throw bad(`"${field}" must be a number above ${range.min} and at most ${range.max}, or null`);
  return value;
}

function parseWebhooks(value: unknown): Webhook[] {
  if (!Array.isArray(value)) throw bad('"webhooks" must be an array of {"url", "format"}');
  if (value.length > MAX_WEBHOOKS) throw bad(`"webhooks" holds at most ${MAX_WEBHOOKS} entries`);
  return value.map((item, i) => {
    const hook = expectObject(item, ['url', 'format']);
    if (typeof hook.url !== 'string' || hook.url.length > MAX_URL_CHARS)
      throw bad(`"webhooks[${i}].url" must be a URL of at most ${MAX_URL_CHARS} characters`);
    let url: URL;
    try {
      url = new URL(hook.url.trim());
    } catch {
      throw bad(`"webhooks[${i}].url" is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw bad(`"webhooks[${i}].url" must start with https:// or http://`);
    if (url.username || url.password) throw bad(`"webhooks[${i}].url" must not hold a user name or password`);
    const format = hook.format ?? 'json';
    if (!WEBHOOK_FORMATS.includes(format as WebhookFormat))
      throw bad(`"webhooks[${i}].format" must be one of ${WEBHOOK_FORMATS.join(', ')}`);
    return { url: url.href, format: format as WebhookFormat };
  });
}
