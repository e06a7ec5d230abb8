import type { ClientSink, UpstreamReply } from '../deps';
import { errorTypeFor } from '../errors';
import type { PoolKey } from '../keys/key-pool';
import { type AttemptContext, nextAttempt } from './attempt-loop';
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
    let problem: { status: number; message: string; errorClass: ErrorClass; retryable: boolean } | null = null;
    try {
      for await (const chunk of withIdleTimeout(reply, idleTimeoutMs, sink)) {
        if (sink.isClosed) break;
        if (gate && !committed) {
          const verdict = gate.feed(chunk);
          if (verdict.kind === 'hold') continue;
          if (verdict.kind === 'error') {
            const status = Number(verdict.event.error.code) || 502;
            const message = String(verdict.event.error.message ?? 'upstream error');
            const outcome = classifyStatus(status, message, null);
            if (outcome.action === 'next-key' && ctx.tries.length < ctx.maxAttempts) {
              ctx.services.keys.report(key.id, outcome.event);
              problem = { status, message, errorClass: outcome.errorClass, retryable: true };
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
      const message = err instanceof IdleTimeout ? err.message : `The upstream connection was lost: ${String(err)}`;
      problem = { status: 502, message, errorClass: err instanceof IdleTimeout ? 'timeout' : 'stream_error', retryable: !committed };
    }
    if (sink.isClosed) {
      reply.cancel();
      return { key, errorClass: 'client_closed', tail: tail.text() };
    }
    if (!problem && !committed) {
      // Upstream ended without a single data event: as good as a drop.
      for (const held of gate?.take() ?? []) {
        tail.push(held);
        await sink.write(held);
      }
      problem = { status: 502, message: 'The upstream stream ended before any data', errorClass: 'stream_error', retryable: true };
    }
    if (!problem) {
      sink.end();
      return { key, errorClass: null, tail: tail.text() };
    }
    reply.cancel();
    if (problem.retryable && !committed) {
      ctx.services.keys.report(key.id, { kind: 'transient', status: problem.status, message: problem.message });
      const next = await nextAttempt(ctx);
      if (next.ok) {
        ({ key, reply } = next);
        continue;
      }
    }
    await sink.write(encoder.encode(errorEvent(problem.status, problem.message, tail.text())));
    sink.end();
    return { key, errorClass: problem.errorClass, tail: tail.text() };
  }
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

/** The reply's chunks; throws {@link IdleTimeout} when none comes for `ms`. */
async function* withIdleTimeout(reply: UpstreamReply, ms: number, sink: ClientSink): AsyncGenerator<Uint8Array> {
  const iterator = reply.chunks()[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new IdleTimeout(`The upstream sent nothing for ${ms} ms`)), ms);
      });
      const gone = sink.closed.then(() => ({ done: true, value: undefined }) as const);
      const step = await Promise.race([iterator.next(), idle, gone]);
      clearTimeout(timer);
      if (step.done) return;
      yield step.value;
    }
  } finally {
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
