import { type Upstream, UpstreamFailure, type UpstreamReply, type UpstreamRequest } from '../../deps';
import { UndiciExchange } from './undici-exchange';
import { Agent } from './undici-parts';

/** Options of {@link createUndiciUpstream}. */
export interface UndiciUpstreamOptions {
  /** Connections kept per upstream origin. */
  connections?: number;
  /**
   * Fail a body that sends nothing for this long while it is being read (0: never).
   * undici's own timer: it pauses under backpressure and costs nothing per request.
   */
  bodyIdleTimeoutMs?: number;
  /** Most bytes a body read whole (`bytes()`) may hold; past it the read fails with `AnswerTooLarge` (0: no cap). */
  maxAnswerBytes?: number;
}

/**
 * The Node transport: undici's `Agent.dispatch()` on a keep-alive pool with a handler
 * of our own ({@link UndiciExchange}), so no `Readable` and no `AbortSignal` is made
 * per request: together they cost more than the rest of the transport.
 */
export function createUndiciUpstream(
  options: UndiciUpstreamOptions = {},
): Upstream & { close(): Promise<void> } {
  const agent = new Agent({
    connections: options.connections ?? 512,
    keepAliveTimeout: 30_000,
    pipelining: 1,
  });
  const bodyTimeout = options.bodyIdleTimeoutMs ?? 0;
  const maxAnswerBytes = options.maxAnswerBytes ?? 0;
  return {
    send(req: UpstreamRequest): Promise<UpstreamReply> {
      if (req.signal?.aborted) return Promise.reject(new UpstreamFailure('aborted', 'client went away'));
      const { origin, path } = target(req.url);
      return new Promise((resolve, reject) => {
        const exchange = new UndiciExchange(
          resolve,
          reject,
          req.headersTimeoutMs,
          req.signal,
          maxAnswerBytes,
        );
        // One literal of fixed shape: undici reads these options twice per request.
        agent.dispatch(
          {
            origin,
            path,
            method: req.method,
            headers: req.headers,
            body: req.body,
            headersTimeout: req.headersTimeoutMs,
            bodyTimeout,
          },
          exchange,
        );
      });
    },
    // After the grace period nothing in flight may hold the shutdown up: destroy, do not wait.
    close: () => agent.destroy(),
  };
}

const targets = new Map<string, { origin: string; path: string }>();

/** Origin and path of a URL, parsed once: the proxy calls a handful of URLs over and over. */
function target(url: string): { origin: string; path: string } {
  let found = targets.get(url);
  if (!found) {
    const parsed = new URL(url);
    found = { origin: parsed.origin, path: parsed.pathname + parsed.search };
    if (targets.size >= 256) targets.clear();
    targets.set(url, found);
  }
  return found;
}
