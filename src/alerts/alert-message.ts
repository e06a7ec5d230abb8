// How an alert reads, and the body each kind of webhook takes: pure functions, no imports
// beyond types.
import type { Alert } from './alert-policy';

/** The message formats a webhook may take. */
export const WEBHOOK_FORMATS = ['json', 'slack', 'feishu', 'dingtalk', 'wecom'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The languages an alert is written in. */
export const ALERT_LANGS = ['en', 'zh-CN'] as const;
export type AlertLang = (typeof ALERT_LANGS)[number];

const usd = (n: number) => `$${n.toFixed(2)}`;
const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

const TEXTS: Record<AlertLang, Record<Alert['kind'], (a: Alert) => [title: string, body: string]>> = {
  en: {
    keys_low: (a) => [
      'Few usable keys',
      `${a.usable_keys} of ${a.total_keys} upstream keys are usable, under the threshold of ${a.threshold}.`,
    ],
    key_dead: (a) => [
      a.key_count === 1 ? 'A key stopped working' : `${a.key_count} keys stopped working`,
      `${(a.keys ?? []).map((k) => `${k.hint} (${k.status})`).join(', ')}${
        (a.key_count ?? 0) > (a.keys?.length ?? 0)
          ? `, and ${(a.key_count ?? 0) - (a.keys?.length ?? 0)} more`
          : ''
      }. ${a.usable_keys} of ${a.total_keys} keys are usable.`,
    ],
    credit_low: (a) => [
      'Credit running low',
      `${usd(a.credit_left ?? 0)} of credit left over the keys with a limit, under ${usd(a.threshold ?? 0)}.`,
    ],
    error_rate: (a) => [
      'Error rate high',
      `${a.failed} of ${a.requests} requests failed in the last ${a.window_minutes} minutes (${pct(
        a.error_rate ?? 0,
      )}), over ${pct(a.threshold ?? 0)}.`,
    ],
    test: () => ['Test alert', 'Alerts reach this channel. Nothing is wrong.'],
  },
  'zh-CN': {
    keys_low: (a) => [
      '可用密钥过少',
      `${a.total_keys} 个上游密钥中只有 ${a.usable_keys} 个可用，低于阈值 ${a.threshold}。`,
    ],
    key_dead: (a) => [
      a.key_count === 1 ? '有密钥失效' : `${a.key_count} 个密钥失效`,
      `${(a.keys ?? []).map((k) => `${k.hint}（${k.status === 'invalid' ? '无效' : '额度耗尽'}）`).join('、')}${
        (a.key_count ?? 0) > (a.keys?.length ?? 0)
          ? `，另有 ${(a.key_count ?? 0) - (a.keys?.length ?? 0)} 个`
          : ''
      }。${a.total_keys} 个密钥中 ${a.usable_keys} 个可用。`,
    ],
    credit_low: (a) => [
      '额度不足',
      `有限额的密钥共剩 ${usd(a.credit_left ?? 0)}，低于 ${usd(a.threshold ?? 0)}。`,
    ],
    error_rate: (a) => [
      '错误率过高',
      `最近 ${a.window_minutes} 分钟 ${a.requests} 个请求中 ${a.failed} 个失败（${pct(a.error_rate ?? 0)}），超过 ${pct(
        a.threshold ?? 0,
      )}。`,
    ],
    test: () => ['测试告警', '告警能送达此处。一切正常。'],
  },
};

/** An alert's title and text, each starting with "CloudRouter" (DingTalk bots may require a keyword). */
export function alertText(alert: Alert, lang: AlertLang): { title: string; text: string } {
  const [title, body] = TEXTS[lang][alert.kind](alert);
  return { title: `CloudRouter: ${title}`, text: `CloudRouter: ${title}\n${body}` };
}

/**
 * The JSON body of an alert for one kind of webhook: `json` is CloudRouter's own shape (the
 * alert's figures, its title and text); Slack's incoming webhooks take `text`; Feishu/Lark
 * custom bots `msg_type: "text"`; DingTalk and WeCom group bots `msgtype: "text"`.
 */
export function webhookBody(format: WebhookFormat, alert: Alert, lang: AlertLang): unknown {
  const { title, text } = alertText(alert, lang);
  switch (format) {
    case 'slack':
      return { text };
    case 'feishu':
      return { msg_type: 'text', content: { text } };
    case 'dingtalk':
      return { msgtype: 'text', text: { content: text } };
    case 'wecom':
      return { msgtype: 'text', text: { content: text } };
    default: {
      const { kind, at, ...figures } = alert;
      return { source: 'cloudrouter', kind, title, text, at: new Date(at).toISOString(), ...figures };
    }
  }
}

/**
 * Whether a webhook's answer says it took the message: a 2xx, and for the bots that answer 200
 * with an error code in the body (Feishu `code`, DingTalk and WeCom `errcode`), a zero code.
 */
export function webhookAccepted(status: number, body: string): { ok: boolean; error: string | null } {
  if (status < 200 || status > 299) return { ok: false, error: `HTTP ${status}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: true, error: null };
  }
  if (parsed && typeof parsed === 'object') {
    const o = parsed as Record<string, unknown>;
    const code = typeof o.errcode === 'number' ? o.errcode : typeof o.code === 'number' ? o.code : 0;
    if (code !== 0) {
      const message = [o.errmsg, o.msg].find((m) => typeof m === 'string') as string | undefined;
      return { ok: false, error: `code ${code}${message ? `: ${message.slice(0, 200)}` : ''}` };
    }
  }
  return { ok: true, error: null };
}
