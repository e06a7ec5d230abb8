import { type Upstream, UpstreamFailure, type UpstreamReply, type UpstreamRequest } from '../../deps';

const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'set-cookie',
]);

/** The Workers transport: `fetch`, with the header timeout as an abort. */
export const fetchUpstream: Upstream = {
  async send(req: UpstreamRequest): Promise<UpstreamReply> {
    if (req.signal?.aborted) throw new UpstreamFailure('aborted', 'client went away');
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
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
      });
    } catch (err) {
      req.signal?.removeEventListener('abort', onAbort);
      if (timedOut)
        throw new UpstreamFailure('timeout', `no response headers within ${req.headersTimeoutMs} ms`);
      if (req.signal?.aborted) throw new UpstreamFailure('aborted', 'client went away');
      throw new UpstreamFailure('network', err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!DROPPED.has(name)) headers[name] = value;
    });
    const body = res.body;
    // While `chunks()` reads, the body is locked: cancelling goes through its reader.
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    return {
      status: res.status,
      headers,
      async bytes() {
        return new Uint8Array(await res.arrayBuffer());
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
        req.signal?.removeEventListener('abort', onAbort);
        (reader ?? body)?.cancel().catch(() => {});
        controller.abort();
      },
    };
  },
};
