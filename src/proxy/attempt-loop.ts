import { AnswerTooLarge, type ClientSignal, UpstreamFailure, type UpstreamReply } from '../deps';
import { AppError, clientClosed, fromUpstreamError, isRecord } from '../errors';
import type { PoolKey } from '../keys/key-pool';
import { restEndsAt, restFor } from '../keys/key-state';
import type { Services } from '../services';
import { AnswerText, errorInAnswer } from './answer-text';
import type { ConversationFamily } from './conversation-identity';
import { eventHasContent, isEmptyAnswer } from './empty-answer';
import { type AttemptFailure, finalFailure } from './final-failure';
import { redactSecret } from './redact-secret';
import type { AttemptRecord } from './request-record';
import {
  classifyTransportFailure,
  classifyUpstreamError,
  type ErrorClass,
  type TransportFailure,
  type UpstreamVerdict,
} from './upstream-error';

/** What one request asks of the pool. */
export interface AttemptRunOptions {
  services: Services;
  url: string;
  method: 'GET' | 'POST';
  /** The upstream request's headers, this request's own: each attempt sets `authorization` in it. */
  headers: Record<string, string>;
  body: string | undefined;
  /** Streams are handed over at their headers; other answers are read whole and checked. */
  stream: boolean;
  stickyFor: string | undefined;
  /** The model sent upstream: `:free` models and per-model refusals choose among keys. */
  model: string | null;
  /** The conversation the request belongs to (`conversationOf`), kept on its key; none when absent or null. */
  conversation?: number | null;
  /** Retry an empty answer (no content, no tool call) on another key, judged in this format; off when absent. */
  retryEmpty?: ConversationFamily | null;
  /**
   * The request sets its own provider routing (`provider`): a refusal for the
   * account's data policy may then be its own doing, so it moves on to the
   * next key without being remembered for the key and model (no client can
   * take a model out of service for others).
   */
  ownRouting?: boolean;
  deadline: number;
  /** Attempts that cost time at the provider (5xx, timeouts, network). */
  maxAttempts: number;
  /** Key faults answered at once (401, 402, 429, refusals): a separate, generous bound. */
  maxKeyFaults: number;
  timeoutMs: number;
  signal: ClientSignal;
}

/** An upstream error as a path met it: the status and the parsed error object, with the answer's headers. */
export interface UpstreamErrorSeen {
  status: number;
  /** The whole parsed body or event (`{error: {...}}`), or null. */
  body: unknown;
  headers?: Record<string, string>;
}

/** The outcome of {@link AttemptRun.next}. */
export type AttemptResult =
  | { ok: true; key: PoolKey; reply: UpstreamReply; answer: AnswerText | null }
  | { ok: false; error: AppError; errorClass: ErrorClass };

const decoder = new TextDecoder();
const ERROR_BODY_TIMEOUT_MS = 5_000;

/**
 * The one owner of a request's way through the pool. `next()` tries keys
 * until one answers well, the request itself is at fault, the deadline
 * passes, or no usable key is left; a stream relay that meets a failure
 * before its first data event tells it with `fail…()` and asks `next()` again.
 *
 * Budget: attempts that cost time at the provider count against
 * `maxAttempts`; key faults answered at once count against `maxKeyFaults`.
 * Each key is tried at most once; what a failure teaches a key's state
 * applies to every later request at once (the pool is shared).
 */
export class AttemptRun {
  /** Every upstream attempt, in order: what `x-cloudrouter-attempts` counts and the record keeps. */
  readonly tries: AttemptRecord[] = [];
  /** Keys whose credit should be checked now (`GET /key`), after the answer. */
  readonly keysToCheck: string[] = [];
  private readonly tried = new Set<string>();
  private readonly failures: AttemptFailure[] = [];
  private costly = 0;
  private quick = 0;
  private current: PoolKey | null = null;
  private attemptStarted = 0;
  /** When the first key resting for free models (this request's is one) may serve it again. */
  private restEnds: number | null = null;
  /** The last empty answer, returned when no other key answers better. */
  private lastEmpty: AttemptResult | null = null;

  constructor(private readonly options: AttemptRunOptions) {}

  /** The key of the attempt in progress (or last made). */
  get key(): PoolKey | null {
    return this.current;
  }

  /** The first attempt, or the next one after a failure. */
  async next(): Promise<AttemptResult> {
    const { services } = this.options;
    const { keys, clock } = services;
    for (;;) {
      if (this.costly >= this.options.maxAttempts || this.quick >= this.options.maxKeyFaults)
        return this.finish('budget');
      const now = clock.now();
      if (now >= this.options.deadline) return this.finish('deadline');
      const key = keys.pool.pick(now, this.tried, this.options.stickyFor, this.options.conversation);
      if (!key) return this.finish('no-key');
      this.tried.add(key.id);
      const rest = restFor(key.state, this.options.model, now);
      if (rest) {
        if (rest === 'free') this.restUntil(restEndsAt(key.state, this.options.model, now));
        continue;
      }
      this.current = key;
      const result = await this.attempt(key, now);
      if (result) return result;
    }
  }

  /** One attempt with `key`: an answer, a stop, or null to go on. */
  private async attempt(key: PoolKey, started: number): Promise<AttemptResult | null> {
    const { services, deadline, timeoutMs, signal } = this.options;
    let reply: UpstreamReply;
    this.attemptStarted = started;
    this.tries.push({ keyId: key.id, keyHint: key.hint, status: null, errorClass: null, latencyMs: 0 });
    try {
      // The request's own headers, with this attempt's key: set, not copied (a copy per attempt
      // was some 4% of the proxy's CPU). An attempt starts only when the last one has ended, and
      // every transport reads the headers when it sends.
      const headers = this.options.headers;
      headers.authorization = key.authorization;
      reply = await services.deps.upstream.send({
        url: this.options.url,
        method: this.options.method,
        headers,
        body: this.options.body,
        headersTimeoutMs: Math.max(1, Math.min(timeoutMs, deadline - started)),
        signal,
      });
    } catch (err) {
      const failure = err instanceof UpstreamFailure ? err : new UpstreamFailure('network', String(err));
      if (failure.kind === 'aborted') return this.closed();
      const kind = failure.kind === 'timeout' ? 'timeout' : 'network';
      const message =
        kind === 'timeout'
          ? `The upstream did not answer in time: ${failure.message}`
          : `The upstream could not be reached: ${failure.message}`;
      this.settle(null, classifyTransportFailure(kind, message), null);
      return null;
    }
    const last = this.tries[this.tries.length - 1];
    last.status = reply.status;
    if (reply.status >= 200 && reply.status < 300) {
      if (this.options.stream) {
        last.latencyMs = services.clock.now() - started;
        return { ok: true, key, reply, answer: null };
      }
      let body: Uint8Array;
      try {
        body = await reply.bytes();
      } catch (err) {
        if (signal.aborted) return this.closed();
        if (err instanceof AnswerTooLarge) {
          // Not the key's fault, and another key would produce as large an answer (billed again): stop.
          return {
            ok: false,
            error: new AppError(
              502,
              `The upstream answer was too large: ${err.message}`,
              'upstream_answer_too_large',
            ),
            errorClass: 'network',
          };
        }
        this.failTransport('network', `The upstream answer was cut short: ${String(err)}`);
        return null;
      }
      const answer = new AnswerText(body);
      const inner = errorInAnswer(answer);
      if (!inner) {
        last.latencyMs = services.clock.now() - started;
        const result = { ok: true, key, reply, answer } as const;
        if (this.options.retryEmpty && isEmptyAnswer(parseAnswer(answer), this.options.retryEmpty)) {
          this.failEmpty();
          this.lastEmpty = result;
          return null;
        }
        return result;
      }
      return this.failAnswer({ status: inner.status, body: inner.body, headers: reply.headers });
    }
    const errorBody = await readErrorBody(reply);
    return this.failAnswer({ status: reply.status, body: errorBody, headers: reply.headers });
  }

  /**
   * The current attempt failed with an upstream error (an error answer, a
   * 200 whose body is an error, a stream's error event before any data).
   * Answers the stop when the request itself is at fault; null: ask `next()`.
   */
  failAnswer(seen: UpstreamErrorSeen): AttemptResult | null {
    const key = this.current;
    const body = key ? redactSecret(seen.body, key.secret, key.hint) : seen.body;
    const verdict = this.classify(seen.status, body, seen.headers);
    this.settle(seen.status, verdict, body);
    if (verdict.action === 'next-key') return null;
    const status = seen.status === 401 || seen.status === 402 ? 400 : seen.status;
    return { ok: false, error: fromUpstreamError(status, body), errorClass: verdict.errorClass };
  }

  /**
   * The current attempt's answer was empty: it counts as an attempt and the next key is asked; the
   * key is not blamed.
   */
  failEmpty(): void {
    const last = this.tries[this.tries.length - 1];
    if (last) last.errorClass = 'empty_answer';
    this.costly++;
  }

  /** Whether a stream event has content, when empty answers are retried; else null. */
  get contentCheck(): ((event: string | null, data: string) => boolean) | null {
    const family = this.options.retryEmpty;
    return family ? (event, data) => eventHasContent(event, data, family) : null;
  }

  /** The current attempt failed without an error object (a stream cut or silent before any data). */
  failTransport(kind: TransportFailure, message: string): void {
    this.settle(null, classifyTransportFailure(kind, message), null);
  }

  /** Classifies an upstream error of this request (the one classifier, with this request's model). */
  classify(status: number, body: unknown, headers?: Record<string, string>): UpstreamVerdict {
    return classifyUpstreamError({
      status,
      error: isRecord(body) ? body.error : null,
      headers,
      model: this.options.model,
      now: this.options.services.clock.now(),
    });
  }

  /**
   * Applies a verdict met after the stream was the client's (a mid-stream
   * error): the key hears of it and the attempt shows it; nothing is retried.
   */
  noteAfterCommit(verdict: UpstreamVerdict): void {
    const key = this.current;
    const last = this.tries[this.tries.length - 1];
    if (last) last.errorClass = verdict.errorClass;
    if (key && verdict.event) this.options.services.keys.report(key.id, verdict.event);
  }

  /** Notes a failed attempt: on the key, in its record, in the budget. */
  private settle(status: number | null, verdict: UpstreamVerdict, body: unknown): void {
    const key = this.current;
    const last = this.tries[this.tries.length - 1];
    if (last) {
      last.status = status ?? last.status;
      last.errorClass = verdict.errorClass;
      last.latencyMs = this.options.services.clock.now() - this.attemptStarted;
    }
    if (verdict.action === 'client-error') return;
    if (verdict.costly) this.costly++;
    else this.quick++;
    if (key) {
      const event = verdict.event?.kind === 'refused' && this.options.ownRouting ? null : verdict.event;
      if (event) this.options.services.keys.report(key.id, event);
      if (verdict.event?.kind === 'free-limited') this.restUntil(verdict.event.until);
      if (verdict.checkKey) this.keysToCheck.push(key.id);
      this.failures.push({ hint: key.hint, status, verdict, body });
    }
  }

  /** Notes when a key resting for free models (the request's) is back. */
  private restUntil(end: number | null): void {
    if (end !== null) this.restEnds = this.restEnds === null ? end : Math.min(this.restEnds, end);
  }

  private closed(): AttemptResult {
    const last = this.tries[this.tries.length - 1];
    if (last) last.errorClass = 'client_closed';
    return { ok: false, error: clientClosed(), errorClass: 'client_closed' };
  }

  private finish(why: 'budget' | 'deadline' | 'no-key'): AttemptResult {
    // Every retry of an empty answer failed too: the client gets the last empty answer as it came.
    if (this.lastEmpty) return this.lastEmpty;
    const now = this.options.services.clock.now();
    const pool = this.options.services.keys.pool;
    const readyAt = pool.nextReadyAt(now);
    const resting = this.restEnds !== null && this.restEnds > now ? this.restEnds : null;
    const backAt = readyAt === null ? resting : resting === null ? readyAt : Math.min(readyAt, resting);
    return finalFailure({ why, failures: this.failures, backInMs: backAt === null ? null : backAt - now });
  }
}

/** A 2xx answer's JSON, or null when it is not JSON. */
function parseAnswer(answer: AnswerText): unknown {
  try {
    return JSON.parse(answer.whole());
  } catch {
    return null;
  }
}

/** An error body, read within bounds (its status is what matters; the message is a bonus). */
async function readErrorBody(reply: UpstreamReply): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(resolve, ERROR_BODY_TIMEOUT_MS, null);
  });
  try {
    const bytes = await Promise.race([reply.bytes(), timeout]);
    if (!bytes) {
      reply.cancel();
      return null;
    }
    const text = decoder.decode(bytes.subarray(0, 65_536));
    return JSON.parse(text);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
