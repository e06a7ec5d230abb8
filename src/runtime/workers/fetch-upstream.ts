import {
  AnswerTooLarge,
  DROPPED_UPSTREAM_HEADERS,
  isRedirect,
  redirectFailure,
  type Upstream,
  UpstreamFailure,
  type UpstreamReply,
  type UpstreamRequest,
} from '../../deps';
import { networkErrorText } from '../../lib/network-error';

/** Options of {@link createFetchUpstream}. */
export interface FetchUpstreamOptions {
  /** `bytes()` fails when the body sends nothing for this long (0: never). Streams have the relay's own. */
  bodyIdleTimeoutMs?: number;
  /** Most bytes a body read whole (`bytes()`) may hold; past it the read fails with `AnswerTooLarge` (0: no cap). */
  maxAnswerBytes?: number;
}

/** The Workers transport: `fetch`, with the header timeout as an abort. */
export function createFetchUpstream(options: FetchUpstreamOptions = {}): Upstream {
  const idleMs = options.bodyIdleTimeoutMs ?? 0;
  const maxBytes = options.maxAnswerBytes ?? 0;
  return {
    async send(req: UpstreamRequest): Promise<UpstreamReply> {
      if (req.signal?.aborted) throw new UpstreamFailure('aborted', 'client went away');
      const controller = new AbortController();
      const stopListening = req.signal?.onAbort(() => controller.abort());
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, req.headersTimeoutMs);
      let res: Response;
      try {
        res = await fetch(req.url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          signal: controller.signal,
          // Never followed: the next hop would get the pool key.
          redirect: 'manual',
        });
      } catch (err) {
        stopListening?.();
        if (timedOut)
          throw new UpstreamFailure('timeout', `no response headers within ${req.headersTimeoutMs} ms`);
        if (req.signal?.aborted) throw new UpstreamFailure('aborted', 'client went away');
        throw new UpstreamFailure('network', networkErrorText(err));
      } finally {
        clearTimeout(timer);
      }
      if (isRedirect(res.status)) {
        stopListening?.();
        res.body?.cancel().catch(() => {});
        throw redirectFailure(res.status);
      }
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        if (!DROPPED_UPSTREAM_HEADERS.has(name)) headers[name] = value;
      });
      const body = res.body;
      // While `chunks()` reads, the body is locked: cancelling goes through its reader.
      let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
      const reply: UpstreamReply = {
        status: res.status,
        headers,
        async bytes() {
          if ((!idleMs && !maxBytes) || !body) return new Uint8Array(await res.arrayBuffer());
          return readWhole(reply, idleMs, maxBytes);
        },
        async *chunks() {
          if (!body) return;
          const own = body.getReader();
          reader = own;
          try {
            for (;;) {
              const { done, value } = await own.read();
              if (done) return;
              yield value;
            }
          } finally {
            reader = null;
            own.releaseLock();
          }
        },
        cancel() {
          stopListening?.();
          (reader ?? body)?.cancel().catch(() => {});
          controller.abort();
        },
      };
      return reply;
    },
  };
}

/** The Workers transport without a body timeout. */
export const fetchUpstream: Upstream = createFetchUpstream();

/**
 * The whole body; cancels it and throws when nothing comes for `ms` (one timer, re-armed lazily;
 * 0: none) or when it grows past `maxBytes` (`AnswerTooLarge`; 0: no cap).
 */
async function readWhole(reply: UpstreamReply, ms: number, maxBytes: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  let last = Date.now();
  let idle = false;
  const check = () => {
    const quiet = Date.now() - last;
    if (quiet < ms) {
      timer = setTimeout(check, ms - quiet);
      return;
    }
    idle = true;
    reply.cancel();
  };
  let timer = ms ? setTimeout(check, ms) : undefined;
  try {
    for await (const chunk of reply.chunks()) {
      last = Date.now();
      parts.push(chunk);
      size += chunk.length;
      if (maxBytes > 0 && size > maxBytes) {
        reply.cancel();
        throw new AnswerTooLarge(maxBytes);
      }
    }
  } catch (err) {
    if (!idle) throw err;
  } finally {
    clearTimeout(timer);
  }
  if (idle) throw new Error(`the upstream body sent nothing for ${ms} ms`);
  if (parts.length === 1) return parts[0];
  const whole = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}
