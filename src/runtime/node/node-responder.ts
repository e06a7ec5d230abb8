import type { IncomingMessage, ServerResponse } from 'node:http';
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
    const { outgoing } = nodeEnv(c);
    const signal = new ClientGone();
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) signal.abort();
    });
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

/**
 * The client's signal on Node: a flag and its listeners, at a fraction of an
 * `AbortController`'s cost (or an emitter's: no once-wrappers).
 */
export class ClientGone implements ClientSignal {
  aborted = false;
  private listeners: Array<() => void> = [];

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
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
