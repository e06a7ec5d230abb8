import type { Clock, Logger, Upstream, UpstreamReply } from '../deps';
import type { PoolKey } from '../keys/key-pool';
import type { KeyService } from '../keys/key-service';
import { eachLimited } from '../lib/each-limited';
import { selectKeysToCheck } from './check-selection';
import { shouldWriteCheck } from './credit-change';
import { interpretKeyAnswer } from './key-answer';

/** Options of {@link HealthChecker}. */
export interface HealthCheckerOptions {
  keys: KeyService;
  upstream: Upstream;
  clock: Clock;
  logger: Logger;
  /** OPENROUTER_BASE_URL. */
  baseUrl: string;
  /** Wait this long for `GET /key`'s headers, and again for its body. */
  timeoutMs: number;
  /** Checks at once. */
  concurrency?: number;
}

/** What one run did. */
export interface CheckRun {
  checked: PoolKey[];
  /** Keys that needed a check (or, for `all`, every key) left for a later run. */
  remaining: number;
}

const decoder = new TextDecoder();

/**
 * Health checks through OpenRouter's `GET /key` (no tokens spent, never a
 * chat request): each answer moves the key's state (see key-answer.ts) and
 * updates its credit; the result is written only when it is worth a write
 * (see credit-change.ts), so checks stay within KV's write budget.
 */
export class HealthChecker {
  /** Last check per key in this isolate (failed ones too): orders the next selection. */
  private readonly checked = new Map<string, number>();
  /** Last check written per key, as far as this isolate knows. */
  private readonly written = new Map<string, number | null>();

  constructor(private readonly options: HealthCheckerOptions) {}

  /** Checks the keys most in need, at most `limit` (`all`: every key, disabled ones too); then writes. */
  async run(limit: number, all = false): Promise<CheckRun> {
    const { keys, clock } = this.options;
    await keys.ready();
    const now = clock.now();
    const candidates = [...keys.pool.values()].map((key) => ({
      key,
      id: key.id,
      enabled: key.enabled,
      health: key.state.health,
      until: key.state.until,
      checkedAt: this.lastCheck(key),
    }));
    const due = selectKeysToCheck(candidates, now, Number.MAX_SAFE_INTEGER, { all });
    const chosen = due.slice(0, limit);
    await eachLimited(chosen, this.options.concurrency ?? 8, (c) => this.check(c.key));
    await keys.flush();
    return { checked: chosen.map((c) => c.key), remaining: due.length - chosen.length };
  }

  /** Checks one key now and writes what changed. */
  async checkNow(key: PoolKey): Promise<void> {
    await this.check(key);
    await this.options.keys.flush();
  }

  /** Checks the keys with these ids (unknown ids skipped), at most `limit`; then writes. */
  async checkIds(ids: string[], limit: number): Promise<CheckRun> {
    const { keys } = this.options;
    await keys.ready();
    const found = ids.map((id) => keys.pool.get(id)).filter((k): k is PoolKey => k !== undefined);
    const chosen = found.slice(0, limit);
    await eachLimited(chosen, this.options.concurrency ?? 8, (key) => this.check(key));
    await keys.flush();
    return { checked: chosen, remaining: found.length - chosen.length };
  }

  private lastCheck(key: PoolKey): number | null {
    const mine = this.checked.get(key.id);
    const stored = key.checkedAt ?? null;
    if (mine === undefined) return stored;
    return stored === null ? mine : Math.max(mine, stored);
  }

  /** One `GET /key`; updates the pool and marks the key for the next write when worth it. */
  private async check(key: PoolKey): Promise<void> {
    const { keys, clock, logger } = this.options;
    const answer = await this.ask(key);
    const now = clock.now();
    const result = interpretKeyAnswer(answer.status, answer.body, now, answer.failure);
    const event = result.event;
    if ('message' in event) event.message = event.message.split(key.secret).join(key.hint);
    if (!this.written.has(key.id)) this.written.set(key.id, key.checkedAt ?? null);
    const before = key.credit ?? null;
    const healthChanged = keys.report(key.id, event);
    this.checked.set(key.id, now);
    if (healthChanged) logger.log('info', 'key health changed', { key: key.hint, status: key.state.health });
    if (event.kind === 'check-failed') return;
    key.checkedAt = now;
    if (result.credit) key.credit = result.credit;
    const write = shouldWriteCheck({
      healthChanged,
      before,
      after: result.credit,
      writtenAt: this.written.get(key.id) ?? null,
      now,
    });
    if (write) {
      keys.touch(key.id);
      this.written.set(key.id, now);
    }
  }

  private async ask(key: PoolKey): Promise<{ status: number | null; body: unknown; failure?: string }> {
    const { upstream, baseUrl, timeoutMs } = this.options;
    let reply: UpstreamReply;
    try {
      reply = await upstream.send({
        url: `${baseUrl}/key`,
        method: 'GET',
        headers: { authorization: key.authorization, accept: 'application/json' },
        headersTimeoutMs: timeoutMs,
      });
    } catch (err) {
      return { status: null, body: null, failure: `GET /key failed: ${errorText(err)}` };
    }
    const bytes = await withTimeout(reply.bytes(), timeoutMs);
    if (!bytes) {
      reply.cancel();
      return reply.status === 200
        ? { status: null, body: null, failure: 'GET /key: the answer did not arrive in time' }
        : { status: reply.status, body: null };
    }
    try {
      return { status: reply.status, body: JSON.parse(decoder.decode(bytes)) };
    } catch {
      return { status: reply.status, body: null };
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(resolve, ms, null);
  });
  try {
    return await Promise.race([promise.catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
