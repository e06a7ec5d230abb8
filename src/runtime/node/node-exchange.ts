import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import type { ClientExchange, ClientSignal, ClientSink } from '../../deps';
import { clientClosed } from '../../errors';
import { bodyTooLarge } from '../../lib/read-json';

const decoder = new TextDecoder();

/**
 * A proxy request on Node: headers and body read from `IncomingMessage`, the
 * answer written straight into `ServerResponse` (no Web `Request` or
 * `Response`, no Web streams). Answers `RESPONSE_ALREADY_SENT`, for Hono.
 */
export class NodeExchange implements ClientExchange {
  readonly signal: ClientGone;

  constructor(
    private readonly incoming: IncomingMessage,
    private readonly outgoing: ServerResponse,
  ) {
    this.signal = clientSignal(incoming, outgoing);
  }

  /** The exchange of a request that Hono routed (its `c.env` holds Node's objects). */
  static of(c: Context): NodeExchange {
    const env = c.env as { incoming: IncomingMessage; outgoing: ServerResponse };
    return new NodeExchange(env.incoming, env.outgoing);
  }

  header(name: string): string | undefined {
    const value = this.incoming.headers[name];
    return typeof value === 'string' || value === undefined ? value : value.join(', ');
  }

  eachHeader(visit: (name: string, value: string) => void): void {
    const { headers } = this.incoming;
    for (const name in headers) {
      const value = headers[name];
      if (typeof value === 'string') visit(name, value);
      else if (value !== undefined) visit(name, value.join(', '));
    }
  }

  text(maxBytes: number): Promise<string> {
    const { incoming } = this;
    if (Number(incoming.headers['content-length']) > maxBytes) return Promise.reject(bodyTooLarge(maxBytes));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit nothing more is kept, but the rest is still read (Node's requestTimeout
        // bounds it): a client that is still sending gets its 413, not a reset connection.
        if (size > maxBytes) reject(bodyTooLarge(maxBytes));
        else chunks.push(chunk);
      });
      incoming.on('end', () =>
        resolve(decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))),
      );
      // The client left before its body was whole: nothing to answer, and nothing gone wrong here.
      incoming.on('error', () => reject(clientClosed()));
    });
  }

  send(status: number, headers: Record<string, string>, body: Uint8Array | string): Response {
    const buffer = typeof body === 'string' ? Buffer.from(body) : body;
    headers['content-length'] = String(buffer.byteLength);
    this.outgoing.writeHead(status, headers);
    this.outgoing.end(buffer);
    return RESPONSE_ALREADY_SENT;
  }

  stream(
    status: number,
    headers: Record<string, string>,
    pump: (sink: ClientSink) => Promise<void>,
  ): Response {
    const { outgoing } = this;
    outgoing.writeHead(status, headers);
    outgoing.flushHeaders();
    const sink = nodeSink(outgoing);
    pump(sink)
      .catch(() => {})
      .finally(() => sink.end());
    return RESPONSE_ALREADY_SENT;
  }

  waitUntil(): void {
    // Node keeps running: the task finishes on its own.
  }
}

/** The request a connection serves now (HTTP/1.1: one at a time; a pipelined one waits its turn). */
const SERVING = Symbol('cloudrouter.serving');
type WatchedSocket = Socket & { [SERVING]?: ClientGone };

function clientSignal(incoming: IncomingMessage, outgoing: ServerResponse): ClientGone {
  const signal = new ClientGone(outgoing);
  const socket = incoming.socket as WatchedSocket;
  if (socket.destroyed) signal.abort();
  // One listener per connection, not per request: a keep-alive connection serves many.
  else if (socket[SERVING] === undefined) socket.once('close', () => socket[SERVING]?.abortUnfinished());
  socket[SERVING] = signal;
  return signal;
}

/**
 * The client's signal on Node: a flag and its listeners, at a fraction of an
 * `AbortController`'s cost. Its connection's `close` aborts it while its
 * answer is unfinished.
 */
export class ClientGone implements ClientSignal {
  aborted = false;
  private listeners: Array<() => void> = [];

  constructor(private readonly response: ServerResponse) {}

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }

  /** The connection closed: the client has gone if its answer was not complete. */
  abortUnfinished(): void {
    if (!this.response.writableFinished) this.abort();
  }

  onAbort(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }
}

function nodeSink(outgoing: ServerResponse): ClientSink {
  let closed = false;
  const closedPromise = new Promise<void>((resolve) => {
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) {
        closed = true;
        resolve();
      }
    });
  });
  return {
    get isClosed() {
      return closed || outgoing.destroyed;
    },
    closed: closedPromise,
    write(chunk) {
      if (closed || outgoing.destroyed) return undefined;
      if (outgoing.write(chunk)) return undefined;
      return new Promise<void>((resolve) => {
        const done = () => {
          outgoing.off('drain', done);
          outgoing.off('close', done);
          resolve();
        };
        outgoing.once('drain', done);
        outgoing.once('close', done);
      });
    },
    end() {
      if (!outgoing.writableEnded && !outgoing.destroyed) outgoing.end();
    },
  };
}
