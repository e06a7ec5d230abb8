import type { Context } from 'hono';
import { type ClientExchange, type ClientSink, clientSignalOf } from '../../deps';
import { readRequestText } from '../../lib/read-json';

/**
 * A proxy request on Workers, from its Hono context: answers are Web
 * `Response`s, and a streamed body goes through a `TransformStream` that the
 * relay writes into while the Worker returns.
 */
export function workersExchange(c: Context): ClientExchange {
  const waitUntil = (task: Promise<unknown>) => {
    try {
      c.executionCtx.waitUntil(task);
    } catch {
      // Outside Workers (tests) there is no execution context: the task just runs.
    }
  };
  return {
    header: (name) => c.req.header(name),
    eachHeader: (visit) => {
      for (const [name, value] of c.req.raw.headers) visit(name, value);
    },
    text: (maxBytes) => readRequestText(c, maxBytes),
    signal: clientSignalOf(c.req.raw.signal),
    send: (status, headers, body) => new Response(body as BodyInit, { status, headers }),
    stream: (status, headers, pump) => {
      const { readable, sink } = streamSink();
      waitUntil(
        pump(sink)
          .catch(() => {})
          .finally(() => sink.end()),
      );
      return new Response(readable, { status, headers });
    },
    waitUntil,
  };
}

/** A sink whose chunks come out of `readable`. */
function streamSink(): { readable: ReadableStream<Uint8Array>; sink: ClientSink } {
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
  return { readable, sink };
}
