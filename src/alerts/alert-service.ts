import type { Clock, Logger, Upstream } from '../deps';
import type { KeyPool } from '../keys/key-pool';
import { statusOf } from '../keys/key-state';
import type { StoredValue } from '../lib/stored-value';
import type { ErrorClass } from '../proxy/upstream-error';
import type { StatsService } from '../stats/stats-service';
import type { Store } from '../store/types';
import { webhookAccepted, webhookBody } from './alert-message';
import {
  type Alert,
  type AlertState,
  type DeadKey,
  decideAlerts,
  EMPTY_ALERT_STATE,
  type PoolFacts,
} from './alert-policy';
import type { AlertSettings, Webhook } from './alert-settings';

/** The record holding what the check remembers (when each alert was sent, the dead keys reported). */
export const ALERT_STATE_RECORD = 'alerts:state';
/** How long one webhook may take to answer. */
const WEBHOOK_TIMEOUT_MS = 5000;
/** Failures that are the request's doing, not the pool's: they do not count in the error rate. */
const CLIENT_FAILURES: ReadonlySet<string> = new Set<ErrorClass>([
  'client_error',
  'client_closed',
  'moderation',
]);

/** What one webhook answered. */
export interface WebhookResult {
  url: string;
  format: Webhook['format'];
  ok: boolean;
  error: string | null;
}

/** Options of {@link AlertService}. */
export interface AlertServiceOptions {
  store: Store;
  settings: StoredValue<AlertSettings>;
  pool: KeyPool;
  /** Resolves once the pool is loaded (null when it is). */
  poolReady: () => Promise<unknown> | null;
  stats: Pick<StatsService, 'recent'>;
  upstream: Upstream;
  clock: Clock;
  logger: Logger;
}

/**
 * The alerts' I/O: gathers the pool's facts, lets the pure policy (alert-policy.ts) decide,
 * posts what it decided to every webhook, and keeps the state in one record. Run by the
 * Workers cron (once per run, whatever the number of isolates) and Node's timer.
 */
export class AlertService {
  private running: Promise<Alert[]> | null = null;

  constructor(private readonly options: AlertServiceOptions) {}

  /** One check: the alerts it sent (none without a webhook). One check at a time. */
  check(): Promise<Alert[]> {
    this.running ??= this.checkOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async checkOnce(): Promise<Alert[]> {
    const { store, settings, clock, logger } = this.options;
    await Promise.all([settings.ready(), this.options.poolReady()]);
    const rules = settings.current;
    if (rules.webhooks.length === 0) return [];
    const now = clock.now();
    const state = (await store.get<AlertState>(ALERT_STATE_RECORD)) ?? EMPTY_ALERT_STATE;
    const facts = await this.facts(rules.window_minutes * 60_000, now);
    const decided = decideAlerts(rules, facts, state, now);
    // The state first: an alert is sent at most once per window even if a post fails or hangs.
    if (decided.changed) await store.put(ALERT_STATE_RECORD, decided.state);
    for (const alert of decided.alerts) {
      const results = await this.post(rules, alert);
      const failed = results.filter((r) => !r.ok);
      logger.log(failed.length ? 'warn' : 'info', 'alert sent', {
        kind: alert.kind,
        webhooks: results.length,
        failed: failed.map((r) => `${r.format}: ${r.error}`),
      });
    }
    return decided.alerts;
  }

  /** Sends a test alert to every webhook (or to `webhooks` when given) and answers what each said. */
  async sendTest(webhooks?: Webhook[]): Promise<WebhookResult[]> {
    await this.options.settings.ready();
    const rules = this.options.settings.current;
    const alert: Alert = { kind: 'test', at: this.options.clock.now(), window_minutes: rules.window_minutes };
    return this.post({ ...rules, webhooks: webhooks ?? rules.webhooks }, alert);
  }

  /** The pool and the traffic, as the policy reads them: hints, never keys. */
  private async facts(windowMs: number, now: number): Promise<PoolFacts> {
    const deadKeys: DeadKey[] = [];
    let usableKeys = 0;
    let creditLeft: number | null = null;
    for (const key of this.options.pool.values()) {
      const status = statusOf(key.enabled, key.state, now);
      if (status === 'active') usableKeys++;
      else if (status === 'invalid' || status === 'exhausted')
        deadKeys.push({ id: key.id, hint: key.hint, status });
      if (key.enabled && key.credit && key.credit.limit !== null)
        creditLeft = (creditLeft ?? 0) + (key.credit.remaining ?? 0);
    }
    // Requests the client spoiled (a bad body, a hang-up) say nothing of the pool: left out.
    const recent = await this.options.stats.recent(windowMs);
    let failed = 0;
    let clientFailed = 0;
    for (const [name, n] of Object.entries(recent.failures)) {
      if (CLIENT_FAILURES.has(name)) clientFailed += n;
      else failed += n;
    }
    return {
      usableKeys,
      totalKeys: this.options.pool.size,
      deadKeys,
      creditLeft,
      requests: recent.requests - clientFailed,
      failed,
    };
  }

  /** Posts an alert to each webhook at once; a slow or failing one holds up no other. */
  private post(settings: AlertSettings, alert: Alert): Promise<WebhookResult[]> {
    return Promise.all(
      settings.webhooks.map(async (hook): Promise<WebhookResult> => {
        try {
          const reply = await this.options.upstream.send({
            url: hook.url,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'CloudRouter-alerts' },
            body: JSON.stringify(webhookBody(hook.format, alert, settings.lang)),
            headersTimeoutMs: WEBHOOK_TIMEOUT_MS,
          });
          const body = await withTimeout(reply.bytes(), WEBHOOK_TIMEOUT_MS, () => reply.cancel());
          const verdict = webhookAccepted(reply.status, new TextDecoder().decode(body).slice(0, 4096));
          return { url: hook.url, format: hook.format, ...verdict };
        } catch (err) {
          return {
            url: hook.url,
            format: hook.format,
            ok: false,
            error: String((err as Error)?.message ?? err),
          };
        }
      }),
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
