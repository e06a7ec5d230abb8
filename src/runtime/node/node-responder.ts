import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import type { ClientSignal, ClientSink, Responder } from '../../deps';

type NodeEnv = { incoming: IncomingMessage; outgoing: ServerResponse };

const nodeEnv = (c: Context) => c.env as NodeEnv;

/**
 * Writes answers straight into Node's `ServerResponse` (no Web `Response`,
 * no Web streams), then tells Hono the response is already sent.
 */
export const nodeResponder: Responder = {
  signal(c) {
    const { incoming, outgoing } = nodeEnv(c);
    const signal = new ClientGone(outgoing);
    const socket = incoming.socket as WatchedSocket;
    if (socket.destroyed) signal.abort();
    // One listener per connection, not per request: a keep-alive connection serves many.
    else if (socket[SERVING] === undefined) socket.once('close', () => socket[SERVING]?.abortUnfinished());
    socket[SERVING] = signal;
    return signal;
  },

  send(c, status, headers, body) {
    const { outgoing } = nodeEnv(c);
    const buffer = typeof body === 'string' ? Buffer.from(body) : body;
    headers['content-length'] = String(buffer.byteLength);
    outgoing.writeHead(status, headers);
    outgoing.end(buffer);
    return RESPONSE_ALREADY_SENT;
  },

  stream(c, status, headers, pump) {
    const { outgoing } = nodeEnv(c);
    outgoing.writeHead(status, headers);
    outgoing.flushHeaders();
    const sink = nodeSink(outgoing);
    pump(sink)
      .catch(() => {})
      .finally(() => sink.end());
    return RESPONSE_ALREADY_SENT;
  },
};

/** The request a connection serves now (HTTP/1.1: one at a time; a pipelined one waits its turn). */
const SERVING = Symbol('cloudrouter.serving');
type WatchedSocket = Socket & { [SERVING]?: ClientGone };

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
