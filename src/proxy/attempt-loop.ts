import { type ClientSignal, UpstreamFailure, type UpstreamReply } from '../deps';
import { AppError, clientClosed, fromUpstreamError, isRecord } from '../errors';
import type { PoolKey } from '../keys/key-pool';
import type { Services } from '../services';
import { AnswerText, errorInAnswer } from './answer-text';
import { redactSecret } from './redact-secret';
import type { AttemptRecord } from './request-record';
import { retryAfterMs } from './retry-after';
import { classifyStatus, type ErrorClass } from './upstream-outcome';

/** One request's way through the pool: what it asks and what it has tried. */
export interface AttemptContext {
  services: Services;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string | undefined;
  /** Streams are handed over at their headers; other answers are read whole and checked. */
  stream: boolean;
  stickyFor: string | undefined;
  deadline: number;
  maxAttempts: number;
  timeoutMs: number;
  signal: ClientSignal;
  tried: Set<string>;
  tries: AttemptRecord[];
  lastError: AppError | null;
  lastClass: ErrorClass | null;
}

/** The outcome of {@link nextAttempt}. */
export type AttemptResult =
  | { ok: true; key: PoolKey; reply: UpstreamReply; answer: AnswerText | null }
  | { ok: false; error: AppError; errorClass: ErrorClass };

const decoder = new TextDecoder();
const ERROR_BODY_TIMEOUT_MS = 5_000;

/**
 * Tries keys until one answers well, the request itself is at fault, or the
 * attempts, keys or deadline run out. Each failed answer's body is consumed
 * or cancelled before the next try.
 */
export async function nextAttempt(ctx: AttemptContext): Promise<AttemptResult> {
  const { services } = ctx;
  const { keys, clock } = services;
  while (ctx.tries.length < ctx.maxAttempts) {
    const now = clock.now();
    if (now >= ctx.deadline) break;
    const key = keys.pool.pick(now, ctx.tried, ctx.stickyFor);
    if (!key) return ctx.tried.size === 0 ? noKeys(services, now) : failed(ctx);
    ctx.tried.add(key.id);
    const started = now;
    const note = (status: number | null, errorClass: ErrorClass | null) =>
      ctx.tries.push({
        keyId: key.id,
        keyHint: key.hint,
        status,
        errorClass,
        latencyMs: clock.now() - started,
      });
    let reply: UpstreamReply;
    try {
      reply = await services.deps.upstream.send({
        url: ctx.url,
        method: ctx.method,
        headers: { ...ctx.headers, authorization: key.authorization },
        body: ctx.body,
        headersTimeoutMs: Math.max(1, Math.min(ctx.timeoutMs, ctx.deadline - now)),
        signal: ctx.signal,
      });
    } catch (err) {
      const failure = err instanceof UpstreamFailure ? err : new UpstreamFailure('network', String(err));
      if (failure.kind === 'aborted')
        return { ok: false, error: clientClosed(), errorClass: 'client_closed' };
      const errorClass = failure.kind === 'timeout' ? 'timeout' : 'network';
      note(null, errorClass);
      keys.report(key.id, { kind: 'transient', status: null, message: failure.message });
      setLast(ctx, upstreamFailureError(failure), errorClass);
      continue;
    }
    if (reply.status >= 200 && reply.status < 300) {
      if (ctx.stream) {
        note(reply.status, null);
        return { ok: true, key, reply, answer: null };
      }
      let body: Uint8Array;
      try {
        body = await reply.bytes();
      } catch (err) {
        if (ctx.signal.aborted) return { ok: false, error: clientClosed(), errorClass: 'client_closed' };
        note(reply.status, 'network');
        keys.report(key.id, { kind: 'transient', status: null, message: `answer cut short: ${String(err)}` });
        setLast(ctx, new AppError(502, 'The upstream answer was cut short', 'upstream_dropped'), 'network');
        continue;
      }
      const answer = new AnswerText(body);
      const inner = errorInAnswer(answer);
      if (!inner) {
        note(reply.status, null);
        return { ok: true, key, reply, answer };
      }
      if (settle(ctx, key, note, inner.status, inner.body, reply.headers) === 'return') return failed(ctx);
      continue;
    }
    const errorBody = await readErrorBody(reply);
    if (settle(ctx, key, note, reply.status, errorBody, reply.headers) === 'return') return failed(ctx);
  }
  if (!ctx.lastError && clock.now() >= ctx.deadline) {
    setLast(
      ctx,
      new AppError(504, 'No upstream answer before the request deadline', 'deadline_exceeded'),
      'timeout',
    );
  }
  return failed(ctx);
}

/** Applies an upstream error to the key and the context; says whether to stop. */
function settle(
  ctx: AttemptContext,
  key: PoolKey,
  note: (status: number | null, errorClass: ErrorClass | null) => void,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): 'return' | 'next' {
  const now = ctx.services.clock.now();
  const error = fromUpstreamError(status, redactSecret(body, key.secret, key.hint));
  const wait = retryAfterMs(headers, now);
  const moderation = isRecord(error.extra.metadata) && 'reasons' in error.extra.metadata;
  const outcome = classifyStatus(status, error.message, wait, moderation);
  if (outcome.action === 'success') return 'next';
  note(status, outcome.errorClass);
  if (wait !== null && status === 429)
    error.headers['retry-after'] = String(Math.max(1, Math.ceil(wait / 1000)));
  setLast(ctx, error, outcome.errorClass);
  if (outcome.action === 'client-error') return 'return';
  ctx.services.keys.report(key.id, outcome.event);
  return 'next';
}

function setLast(ctx: AttemptContext, error: AppError, errorClass: ErrorClass): void {
  ctx.lastError = error;
  ctx.lastClass = errorClass;
}

function failed(ctx: AttemptContext): AttemptResult {
  const error = ctx.lastError ?? new AppError(502, 'No upstream attempt succeeded', 'upstream_failed');
  return { ok: false, error, errorClass: ctx.lastClass ?? 'upstream_error' };
}

function noKeys(services: Services, now: number): AttemptResult {
  const readyAt = services.keys.pool.nextReadyAt(now);
  const headers: Record<string, string> = {};
  if (readyAt !== null) headers['retry-after'] = String(Math.max(1, Math.ceil((readyAt - now) / 1000)));
  const when =
    readyAt === null
      ? 'No key is cooling down either.'
      : `The first cooldown ends in ${headers['retry-after']} s.`;
  const error = new AppError(
    503,
    `No upstream key is available. ${when}`,
    'no_available_keys',
    undefined,
    headers,
  );
  return { ok: false, error, errorClass: 'no_available_keys' };
}

function upstreamFailureError(failure: UpstreamFailure): AppError {
  return failure.kind === 'timeout'
    ? new AppError(504, `The upstream did not answer in time: ${failure.message}`, 'upstream_timeout')
    : new AppError(502, `The upstream could not be reached: ${failure.message}`, 'upstream_unreachable');
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
