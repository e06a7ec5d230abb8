import type { ClientSink, UpstreamReply } from '../deps';
import type { AppError } from '../errors';
import type { PoolKey } from '../keys/key-pool';
import { AnswerText, errorInAnswer } from './answer-text';
import { type ApiFamily, openAiFamily } from './api-family';
import type { AttemptRun } from './attempt-loop';
import { SseGate } from './sse-gate';
import { classifyTransportFailure, type ErrorClass } from './upstream-error';

/** How a relayed stream ended. */
export interface RelayEnd {
  /** The key of the attempt that served the stream (another than the first after a failover). */
  key: PoolKey;
  /** That attempt's reply (its headers: `x-generation-id`). */
  reply: UpstreamReply;
  errorClass: ErrorClass | null;
  /** The last few KB of what the client got, for usage. */
  tail: string;
}

const TAIL_BYTES = 8192;
const encoder = new TextEncoder();

/** What the client's stream ends with when it cannot end well. */
interface Problem {
  status: number;
  message: string;
  errorClass: ErrorClass;
  /** The error as the client hears it (type, code, the upstream's metadata), when one was built. */
  error?: AppError;
}

/**
 * Relays an SSE stream to the client chunk by chunk, as upstream sends it.
 * Until the first data event the stream may still move to another key (the
 * client has seen only comments): the relay tells the attempt run what went
 * wrong and asks it for the next attempt. After it, an upstream that drops or
 * goes quiet ends the client's stream with its API family's error event
 * (OpenRouter's error chunk, Anthropic's `event: error`, a Responses `error`).
 */
export async function relayStream(
  run: AttemptRun,
  first: { key: PoolKey; reply: UpstreamReply },
  sink: ClientSink,
  idleTimeoutMs: number,
  family: ApiFamily = openAiFamily,
): Promise<RelayEnd> {
  let { key, reply } = first;
  const tail = new Tail();
  let committed = false;
  /** The chunks of the last empty answer (no content), sent as they came if no key answers better. */
  let emptyHeld: Uint8Array[] | null = null;
  for (;;) {
    const gate = committed ? null : new SseGate(family.eventError, run.contentCheck);
    let retry = false;
    let problem: Problem | null = null;
    try {
      for await (const chunk of withIdleTimeout(reply, idleTimeoutMs, sink)) {
        if (sink.isClosed) break;
        if (gate && !committed) {
          const verdict = gate.feed(chunk);
          if (verdict.kind === 'hold') continue;
          if (verdict.kind === 'error') {
            const status = Number(verdict.event.error.code) || 502;
            if (run.failAnswer({ status, body: verdict.event }) === null) {
              retry = true;
              break;
            }
            // The request's own fault: the client gets the event as upstream sent it.
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
      const idle = err instanceof IdleTimeout;
      const message = idle ? err.message : `The upstream connection was lost: ${String(err)}`;
      const kind = idle ? 'timeout' : 'stream_error';
      if (committed) {
        run.noteAfterCommit(classifyTransportFailure(kind, message));
        problem = { status: idle ? 504 : 502, message, errorClass: kind };
      } else {
        run.failTransport(kind, message);
        retry = true;
      }
    }
    if (sink.isClosed) {
      reply.cancel();
      return { key, reply, errorClass: 'client_closed', tail: tail.text() };
    }
    if (!retry && !problem && !committed && gate?.sawData) {
      // An empty answer (RETRY_EMPTY_ANSWERS): the client has seen only comments; another key may do better.
      emptyHeld = gate.take();
      run.failEmpty();
      retry = true;
    }
    if (!retry && !problem && !committed) {
      const stop = endedWithoutData(run, gate?.take() ?? []);
      if (stop) problem = stop;
      else retry = true;
    }
    if (!retry && !problem) {
      sink.end();
      const text = tail.text();
      return { key, reply, errorClass: midStreamError(run, text, family), tail: text };
    }
    reply.cancel();
    if (retry) {
      const next = await run.next();
      if (next.ok) {
        ({ key, reply } = next);
        continue;
      }
      if (next.errorClass === 'client_closed')
        return { key, reply, errorClass: 'client_closed', tail: tail.text() };
      if (emptyHeld) {
        for (const held of emptyHeld) {
          tail.push(held);
          await sink.write(held);
        }
        sink.end();
        return { key, reply, errorClass: null, tail: tail.text() };
      }
      // The client hears of the failure as a non-streamed request would.
      problem = {
        status: next.error.status,
        message: next.error.message,
        errorClass: next.errorClass,
        error: next.error,
      };
    }
    await sink.write(
      encoder.encode(family.streamErrorEvent(problem!.status, problem!.message, tail.text(), problem!.error)),
    );
    sink.end();
    return { key, reply, errorClass: problem!.errorClass, tail: tail.text() };
  }
}

/**
 * Upstream ended without a single data event: as good as a drop, unless what
 * it held back is a JSON error (a `200` stream answered with `{"error": ...}`),
 * which is classified like any error answer. The held bytes are never sent:
 * they are no complete SSE event. Answers the problem to end the client's
 * stream with, or null when another attempt may follow.
 */
function endedWithoutData(run: AttemptRun, held: Uint8Array[]): Problem | null {
  const inner = held.length ? errorInAnswer(new AnswerText(concat(held))) : null;
  if (!inner) {
    run.failTransport('stream_error', 'The upstream stream ended before any data');
    return null;
  }
  const stop = run.failAnswer({ status: inner.status, body: inner.body });
  return stop && !stop.ok
    ? {
        status: stop.error.status,
        message: stop.error.message,
        errorClass: stop.errorClass,
        error: stop.error,
      }
    : null;
}

/**
 * A stream that ended after its first data event may carry an error event
 * (OpenRouter's chunk with `finish_reason: "error"`, Anthropic's `event: error`,
 * a Responses `error` or `response.failed`): classified by the same rule as
 * every other path, so the key hears of it and the record shows it. Read from
 * the tail already kept for usage, and only when the family says it may hold one.
 */
function midStreamError(run: AttemptRun, tail: string, family: ApiFamily): ErrorClass | null {
  if (!family.tailMayHoldError(tail)) return null;
  const events = tail.split(/\r?\n\r?\n/);
  for (let i = events.length - 1; i >= 0; i--) {
    const lines = events[i].split(/\r?\n/);
    const data = lines
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (!data) continue;
    const name =
      lines
        .find((line) => line.startsWith('event:'))
        ?.slice(6)
        .trim() ?? null;
    const found = family.eventError(name, data);
    if (!found) continue;
    const verdict = run.classify(Number(found.error.code) || 502, found);
    run.noteAfterCommit(verdict);
    return verdict.errorClass;
  }
  return 'stream_error';
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
