import { type ClientSink, clientSignalOf, type Responder } from '../../deps';

/**
 * Answers as Web `Response`s; a streamed body goes through a
 * `TransformStream` that the relay writes into while the Worker returns.
 */
export const streamResponder: Responder = {
  signal(c) {
    return clientSignalOf(c.req.raw.signal);
  },

  send(_c, status, headers, body) {
    return new Response(body as BodyInit, { status, headers });
  },

  stream(c, status, headers, pump) {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    let closed = false;
    let markClosed: () => void = () => {};
    const closedPromise = new Promise<void>((resolve) => {
      markClosed = () => {
        closed = true;
        resolve();
      };
    });
    writer.closed.catch(markClosed);
    const sink: ClientSink = {
      get isClosed() {
        return closed;
      },
      closed: closedPromise,
      write(chunk) {
        if (closed) return undefined;
        return writer.write(chunk).catch(markClosed);
      },
      end() {
        if (!closed) writer.close().catch(() => {});
      },
    };
    const done = pump(sink)
      .catch(() => {})
      .finally(() => sink.end());
    try {
      c.executionCtx.waitUntil(done);
    } catch {
      // Outside Workers (tests), the pump just runs.
    }
    return new Response(readable, { status, headers });
  },
};
