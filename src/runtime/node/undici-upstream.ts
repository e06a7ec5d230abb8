import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, errors, request } from 'undici';
import {
  DROPPED_UPSTREAM_HEADERS,
  type Upstream,
  UpstreamFailure,
  type UpstreamReply,
  type UpstreamRequest,
} from '../../deps';

/** Options of {@link createUndiciUpstream}. */
export interface UndiciUpstreamOptions {
  /** Connections kept per upstream origin. */
  connections?: number;
  /**
   * Fail a body that sends nothing for this long while it is being read (0: never).
   * undici's own timer: it pauses under backpressure and costs nothing per request.
   */
  bodyIdleTimeoutMs?: number;
}

/**
 * The Node transport: undici's `request()` on a keep-alive pool; bodies stay
 * Node streams, piped by the Node responder without Web-stream overhead.
 */
export function createUndiciUpstream(
  options: UndiciUpstreamOptions = {},
): Upstream & { close(): Promise<void> } {
  const agent = new Agent({
    connections: options.connections ?? 512,
    keepAliveTimeout: 30_000,
    pipelining: 1,
  });
  return {
    async send(req: UpstreamRequest): Promise<UpstreamReply> {
      if (req.signal?.aborted) throw new UpstreamFailure('aborted', 'client went away');
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await request(req.url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          dispatcher: agent,
          headersTimeout: req.headersTimeoutMs,
          bodyTimeout: options.bodyIdleTimeoutMs ?? 0,
          signal: req.signal,
        });
      } catch (err) {
        if (req.signal?.aborted) throw new UpstreamFailure('aborted', 'client went away');
        if (err instanceof errors.HeadersTimeoutError) {
          throw new UpstreamFailure('timeout', `no response headers within ${req.headersTimeoutMs} ms`);
        }
        throw new UpstreamFailure('network', err instanceof Error ? err.message : String(err));
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined && !DROPPED_UPSTREAM_HEADERS.has(name))
          headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const body = decode(res.body, res.headers['content-encoding']);
      return {
        status: res.statusCode,
        headers,
        async bytes() {
          const parts: Buffer[] = [];
          for await (const chunk of body) parts.push(chunk as Buffer);
          return parts.length === 1 ? parts[0] : Buffer.concat(parts);
        },
        chunks: () => body,
        cancel() {
          body.destroy();
          if (body !== res.body) res.body.destroy();
        },
      };
    },
    // After the grace period nothing in flight may hold the shutdown up: destroy, do not wait.
    close: () => agent.destroy(),
  };
}

function decode(body: Readable, encoding: string | string[] | undefined): Readable {
  const name = (Array.isArray(encoding) ? encoding[0] : encoding)?.trim().toLowerCase();
  if (!name || name === 'identity') return body;
  const decoder =
    name === 'gzip' || name === 'x-gzip'
      ? createGunzip()
      : name === 'deflate'
        ? createInflate()
        : name === 'br'
          ? createBrotliDecompress()
          : null;
  if (!decoder) return body;
  body.on('error', (err) => decoder.destroy(err));
  return body.pipe(decoder);
}
