import type { ClientSink, UpstreamReply } from '../deps';
import { AppError, errorTypeFor, fromUpstreamError, isRecord } from '../errors';
import type { PoolKey } from '../keys/key-pool';
import { AnswerText, errorInAnswer } from './answer-text';
import { type AttemptContext, nextAttempt } from './attempt-loop';
import { redactSecret } from './redact-secret';
import { SseGate } from './sse-gate';
import { classifyStatus, type ErrorClass } from './upstream-outcome';
import { lastChunkIdentity } from './usage';

/** How a relayed stream ended. */
export interface RelayEnd {
  key: PoolKey;
  errorClass: ErrorClass | null;
  /** The last few KB of what the client got, for usage. */
  tail: string;
}

const TAIL_BYTES = 8192;
const encoder = new TextEncoder();

/**
 * Relays an SSE stream to the client chunk by chunk, as upstream sends it.
 * Until the first data event the stream may still move to another key (the
 * client has seen only comments); after it, an upstream that drops or goes
 * quiet ends the client's stream with an OpenAI-style error event.
 */
export async function relayStream(
  ctx: AttemptContext,
  first: { key: PoolKey; reply: UpstreamReply },
  sink: ClientSink,
  idleTimeoutMs: number,
): Promise<RelayEnd> {
  let { key, reply } = first;
  const tail = new Tail();
  let committed = false;
  for (;;) {
    const gate = committed ? null : new SseGate();
    let problem: Problem | null = null;
    try {
      for await (const chunk of withIdleTimeout(reply, idleTimeoutMs, sink)) {
        if (sink.isClosed) break;
        if (gate && !committed) {
          const verdict = gate.feed(chunk);
          if (verdict.kind === 'hold') continue;
          if (verdict.kind === 'error') {
            const status = Number(verdict.event.error.code) || 502;
            const message = redactSecret(
              String(verdict.event.error.message ?? 'upstream error'),
              key.secret,
              key.hint,
            );
            const metadata = (verdict.event.error as { metadata?: unknown }).metadata;
            const outcome = classifyStatus(
              status,
              message,
              null,
              isRecord(metadata) && 'reasons' in metadata,
            );
            if (outcome.action === 'next-key' && ctx.tries.length < ctx.maxAttempts) {
              ctx.services.keys.report(key.id, outcome.event);
              problem = { status, message, errorClass: outcome.errorClass, retryable: true, reported: true };
              break;
            }
            committed = true;
          }
          if (verdict.kind === 'commit') committed = true;
          for (const held of verdict.chunks) {
            tail.push(held);
            await sink.write(held);
          }
          continue;
        }
        tail.push(chunk);
        await sink.write(chunk);
      }
    } catch (err) {
      const message =
        err instanceof IdleTimeout ? err.message : `The upstream connection was lost: ${String(err)}`;
      problem = {
        status: 502,
        message,
        errorClass: err instanceof IdleTimeout ? 'timeout' : 'stream_error',
        retryable: !committed,
      };
    }
    if (sink.isClosed) {
      reply.cancel();
      return { key, errorClass: 'client_closed', tail: tail.text() };
    }
    if (!problem && !committed) problem = endedWithoutData(ctx, key, gate?.take() ?? []);
    if (!problem) {
      sink.end();
      return { key, errorClass: null, tail: tail.text() };
    }
    reply.cancel();
    if (problem.retryable && !committed) {
      if (!problem.reported)
        ctx.services.keys.report(key.id, {
          kind: 'transient',
          status: problem.status,
          message: problem.message,
        });
      const last = ctx.tries.at(-1);
      if (last?.keyId === key.id) last.errorClass = problem.errorClass;
      ctx.lastError = new AppError(problem.status, problem.message);
      ctx.lastClass = problem.errorClass;
      const next = await nextAttempt(ctx);
      if (next.ok) {
        ({ key, reply } = next);
        continue;
      }
      // The client hears of the last failure, as a non-streamed request would.
      problem = { ...problem, status: next.error.status, message: next.error.message };
    }
    await sink.write(encoder.encode(errorEvent(problem.status, problem.message, tail.text())));
    sink.end();
    return { key, errorClass: problem.errorClass, tail: tail.text() };
  }
}

/** Why a stream attempt failed; `reported` when the key was already told. */
interface Problem {
  status: number;
  message: string;
  errorClass: ErrorClass;
  retryable: boolean;
  reported?: boolean;
}

/**
 * Upstream ended without a single data event: as good as a drop, unless what
 * it held back is a JSON error (a `200` stream answered with `{"error": ...}`),
 * which is classified like any error answer. The held bytes are never sent:
 * they are no complete SSE event.
 */
function endedWithoutData(ctx: AttemptContext, key: PoolKey, held: Uint8Array[]): Problem {
  const inner = held.length ? errorInAnswer(new AnswerText(concat(held))) : null;
  if (!inner) {
    return {
      status: 502,
      message: 'The upstream stream ended before any data',
      errorClass: 'stream_error',
      retryable: true,
    };
  }
  const error = fromUpstreamError(inner.status, redactSecret(inner.body, key.secret, key.hint));
  const outcome = classifyStatus(inner.status, error.message, null);
  if (outcome.action !== 'next-key')
    return { status: error.status, message: error.message, errorClass: 'client_error', retryable: false };
  ctx.services.keys.report(key.id, outcome.event);
  const problem = { status: error.status, message: error.message, errorClass: outcome.errorClass };
  return { ...problem, retryable: true, reported: true };
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

/** An error event shaped like OpenRouter's mid-stream error chunk, which OpenAI clients raise. */
export function errorEvent(status: number, message: string, tail: string): string {
  const { id, model } = lastChunkIdentity(tail);
  const chunk = {
    id: id ?? `gen-cloudrouter-${Date.now()}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: model ?? 'unknown',
    error: { message, type: errorTypeFor(status), code: status },
    choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

class IdleTimeout extends Error {}

/**
 * The reply's chunks; throws {@link IdleTimeout} when upstream sends nothing
 * for `ms` while the relay waits on it, and ends when the client goes away.
 * Both cancel the reply, which settles the pending read: no race and no
 * promise per chunk, only a timestamp (one timer per stream, re-armed lazily).
 */
async function* withIdleTimeout(
  reply: UpstreamReply,
  ms: number,
  sink: ClientSink,
): AsyncGenerator<Uint8Array> {
  const iterator = reply.chunks()[Symbol.asyncIterator]();
  let waitingSince = Date.now();
  let waiting = false;
  let idle = false;
  let done = false;
  const check = () => {
    const quiet = waiting ? Date.now() - waitingSince : 0;
    if (quiet < ms) {
      timer = setTimeout(check, ms - quiet);
      return;
    }
    idle = true;
    reply.cancel();
  };
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(check, ms);
  sink.closed.then(() => {
    if (!done) reply.cancel();
  });
  const quietError = () => new IdleTimeout(`The upstream sent nothing for ${ms} ms`);
  try {
    for (;;) {
      waitingSince = Date.now();
      waiting = true;
      let step: IteratorResult<Uint8Array>;
      try {
        step = await iterator.next();
      } catch (err) {
        if (idle) throw quietError();
        if (sink.isClosed) return;
        throw err;
      }
      waiting = false;
      if (idle) throw quietError();
      if (step.done || sink.isClosed) return;
      yield step.value;
    }
  } finally {
    done = true;
    clearTimeout(timer);
  }
}

/** The last {@link TAIL_BYTES} of what was sent, decoded on demand. */
class Tail {
  private chunks: Uint8Array[] = [];
  private size = 0;

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= TAIL_BYTES) this.size -= this.chunks.shift()!.length;
  }

  text(): string {
    const decoder = new TextDecoder();
    return this.chunks.map((c) => decoder.decode(c, { stream: true })).join('');
  }
}
