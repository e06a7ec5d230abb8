import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, type Dispatcher, errors } from 'undici';
import {
  type ClientSignal,
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
 * The Node transport: undici's `Agent.request()` on a keep-alive pool; bodies stay
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
  const bodyTimeout = options.bodyIdleTimeoutMs ?? 0;
  return {
    async send(req: UpstreamRequest): Promise<UpstreamReply> {
      if (req.signal?.aborted) throw new UpstreamFailure('aborted', 'client went away');
      const { origin, path } = target(req.url);
      let res: Dispatcher.ResponseData;
      try {
        // One literal of fixed shape: undici reads these options twice per request.
        res = await agent.request({
          origin,
          path,
          method: req.method,
          headers: req.headers,
          body: req.body,
          headersTimeout: req.headersTimeoutMs,
          bodyTimeout,
          signal: req.signal ? asEmitter(req.signal) : null,
        });
      } catch (err) {
        if (req.signal?.aborted) throw new UpstreamFailure('aborted', 'client went away');
        if (err instanceof errors.HeadersTimeoutError) {
          throw new UpstreamFailure('timeout', `no response headers within ${req.headersTimeoutMs} ms`);
        }
        throw new UpstreamFailure('network', err instanceof Error ? err.message : String(err));
      }
      return new UndiciReply(res);
    },
    // After the grace period nothing in flight may hold the shutdown up: destroy, do not wait.
    close: () => agent.destroy(),
  };
}

/** An undici answer as an {@link UpstreamReply}: a class, so no closures are made per request. */
class UndiciReply implements UpstreamReply {
  readonly status: number;
  readonly headers: Record<string, string> = {};
  private readonly body: Readable;

  constructor(private readonly res: Dispatcher.ResponseData) {
    this.status = res.statusCode;
    for (const name in res.headers) {
      const value = res.headers[name];
      if (value !== undefined && !DROPPED_UPSTREAM_HEADERS.has(name))
        this.headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    this.body = decode(res.body, res.headers['content-encoding']);
  }

  bytes(): Promise<Buffer> {
    return readAll(this.body);
  }

  chunks(): AsyncIterable<Uint8Array> {
    return this.body;
  }

  cancel(): void {
    this.body.destroy();
    if (this.body !== this.res.body) this.res.body.destroy();
  }
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

/** The whole body, by its events (an async iterator costs a promise per chunk). */
function readAll(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    body.on('data', (chunk: Buffer) => parts.push(chunk));
    body.once('end', () => resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts)));
    body.once('error', reject);
    body.once('close', () => {
      if (!body.readableEnded) reject(new Error('the body was cut short'));
    });
  });
}

/** undici listens to an emitter's `abort`: the Node responder's signal is one already. */
function asEmitter(signal: ClientSignal): EventEmitter {
  if (signal instanceof EventEmitter) return signal;
  const emitter = new EventEmitter();
  signal.onAbort(() => emitter.emit('abort'));
  return emitter;
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
