import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleControl } from './control.js';
import { defaultReply, withGenerationId } from './defaults.js';
import { MockState, routeOf } from './state.js';
import type { MockOpenRouter, MockReply, RecordedRequest } from './types.js';
import { errorBody, writeReply } from './writer.js';

/** Options of {@link startMockOpenRouter}. */
export interface MockOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Record requests (default true; turn off for long benchmarks to keep memory flat). */
  record?: boolean;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function recordOf(req: IncomingMessage, path: string, search: string, rawBody: string): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const name in req.headers) {
    const value = req.headers[name];
    headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
  }
  const key = BEARER.exec(headers.authorization ?? '')?.[1] ?? null;
  let body: unknown = null;
  if (rawBody !== '') {
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = rawBody;
    }
  }
  return { method: req.method ?? 'GET', path, search, headers, key, body, rawBody, at: Date.now() };
}

function needsDefault(r: MockReply): boolean {
  return r.body === undefined && !r.error && !r.sse && !r.hang && (r.status ?? 200) < 400;
}

// The reply to send: the scripted one, completed with the route's default payload when it has none.
function resolveReply(req: RecordedRequest, route: string, state: MockState): MockReply {
  const scripted = state.take(req, route);
  if (!scripted) return defaultReply(req, route, state);
  // A scripted stream (or body) gets its generation remembered too, so `GET /generation` finds it.
  if (!needsDefault(scripted))
    return req.method === 'POST' ? withGenerationId(scripted, req, state) : scripted;
  const base = defaultReply(req, route, state);
  const merged: MockReply = { ...base, headers: { ...base.headers, ...scripted.headers } };
  for (const [name, value] of Object.entries(scripted)) {
    if (value !== undefined && name !== 'headers') (merged as Record<string, unknown>)[name] = value;
  }
  return merged;
}

/** Starts a mock OpenRouter on 127.0.0.1 (see the module README in index.ts). */
export async function startMockOpenRouter(opts: MockOptions = {}): Promise<MockOpenRouter> {
  const state = new MockState(opts.record ?? true);
  const closing = new AbortController();
  const sockets = new Set<Socket>();

  const respond = async (req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? '' : url.slice(q);
    if (path.startsWith('/__mock/')) return handleControl(req.method ?? 'GET', path, rawBody, state, res);
    const recorded = recordOf(req, path, search, rawBody);
    if (state.record) state.requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished) recorded.closedEarlyAt = Date.now();
    });
    const route = routeOf(path);
    await writeReply(res, resolveReply(recorded, route, state), closing.signal);
  };

  const server = createServer((req, res) => {
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8');
      respond(req, res, raw).catch((err: unknown) => {
        if (closing.signal.aborted || res.destroyed) return;
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const message = err instanceof Error ? err.message : String(err);
        const filled = errorBody({ status: 500, error: { message: `mock failure: ${message}` } });
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(filled?.body));
      });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/api/v1`,
    origin,
    requests: state.requests,
    script: (key, ...replies) => state.script(key, replies),
    always: (key, reply) => state.always(key, reply),
    keyInfo: (key, info) => state.keyInfo(key, info),
    setModels: (models) => state.setModels(models),
    chatRequests: () =>
      state.requests.filter((r) => r.method === 'POST' && routeOf(r.path) === '/chat/completions'),
    reset: () => state.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      }),
  };
}
