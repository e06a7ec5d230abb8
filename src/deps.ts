import type { Context } from 'hono';
import type { Config } from './config';
import type { CoordinatorAnswer, CoordinatorRequest } from './coordinator/protocol';
import type { Store } from './store/types';

/** What the app needs from its runtime; `createApp(deps)` imports nothing else runtime-specific. */
export interface AppDeps {
  config: Config;
  store: Store;
  upstream: Upstream;
  /** The exchange of a proxy request that Hono routed (Node also serves the proxy without Hono). */
  exchange(c: Context): ClientExchange;
  /** The client's network address, for limits per client (the login throttle). */
  clientAddress(c: Context): string;
  clock?: Clock;
  logger?: Logger;
  /**
   * Workers with a coordinator (a Durable Object): one call to it. Pool, client keys, settings
   * and model map are then kept by it, the same for every isolate, and so are the limits.
   */
  coordinator?: { call(request: CoordinatorRequest): Promise<CoordinatorAnswer> };
  /** `node` or `workers`: only for what differs by design (documented where used). */
  runtime: 'node' | 'workers';
}

/** Time, injectable for tests. */
export interface Clock {
  now(): number;
}

/** How much a log line matters. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One-line structured logs; never given a secret. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  /**
   * A whole line made by the caller, for lines written by the thousand: one JSON object (no
   * newline) with its `time`, `level` and `msg` members first. A logger without it is given `log`.
   */
  logLine?(level: LogLevel, line: string): void;
}

/** One request to OpenRouter, made by the runtime's transport. */
export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Give up when the response headers have not arrived by then. */
  headersTimeoutMs: number;
  /** Aborts the request when the client goes away. */
  signal?: ClientSignal;
}

/**
 * The client's side of a request: whether it has gone, and a way to hear when
 * it goes. Each runtime makes its own (an `AbortSignal` costs several
 * microseconds per request on Node; an emitter costs next to nothing).
 */
export interface ClientSignal {
  readonly aborted: boolean;
  /** Calls `listener` once when the client goes; answers a function that stops listening. */
  onAbort(listener: () => void): () => void;
}

/** A {@link ClientSignal} over a Web `AbortSignal`. */
export function clientSignalOf(signal: AbortSignal): ClientSignal {
  return {
    get aborted() {
      return signal.aborted;
    },
    onAbort(listener) {
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    },
  };
}

/**
 * The answer to an {@link UpstreamRequest}. Headers are lower-cased, with
 * hop-by-hop headers and any content-encoding the transport undid removed.
 * The body is read exactly once: `bytes()`, `chunks()` or `cancel()`.
 */
export interface UpstreamReply {
  status: number;
  headers: Record<string, string>;
  bytes(): Promise<Uint8Array>;
  chunks(): AsyncIterable<Uint8Array>;
  cancel(): void;
}

/** Upstream headers a transport never hands on: hop-by-hop, cookies, and what it undid (length, encoding). */
export const DROPPED_UPSTREAM_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'set-cookie',
]);

/** Sends requests upstream; rejects with {@link UpstreamFailure} on network errors and timeouts. */
export interface Upstream {
  send(request: UpstreamRequest): Promise<UpstreamReply>;
}

/** A request that got no answer: the connection failed or the headers did not come in time. */
export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
  constructor(
    readonly kind: 'network' | 'timeout' | 'aborted',
    message: string,
  ) {
    super(message);
  }
}

/** A body read whole (`bytes()`) that grew past the transport's cap: the read stops and the request is cancelled. */
export class AnswerTooLarge extends Error {
  override name = 'AnswerTooLarge';
  constructor(readonly limit: number) {
    super(`the upstream answer is larger than ${limit} bytes (MAX_ANSWER_BYTES)`);
  }
}

/** Whether an upstream status is a redirect, which the transports never follow (it would carry the key on). */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** The failure an upstream redirect is reported as: like a connection that failed, without its target. */
export function redirectFailure(status: number): UpstreamFailure {
  return new UpstreamFailure(
    'network',
    `upstream answered a redirect (${status}); redirects are not followed`,
  );
}

/** Where a streamed answer is written. `write` resolves when the chunk may be followed by another. */
export interface ClientSink {
  write(chunk: Uint8Array): Promise<void> | undefined;
  end(): void;
  /** Resolves when the client has gone away before `end()`. */
  readonly closed: Promise<void>;
  readonly isClosed: boolean;
}

/**
 * One client request to the proxy, as the runtime serves it: its headers and
 * body, and the runtime's own way to answer it. Node makes one straight from
 * `node:http` (no Web `Request`, no Hono context on the proxy's path); Workers
 * make one from the Hono context.
 */
export interface ClientExchange {
  /** A request header by its lower-case name. */
  header(name: string): string | undefined;
  /** Every request header once, by its lower-case name (repeated ones joined with `, `). */
  eachHeader(visit: (name: string, value: string) => void): void;
  /** The body as text; a 413 `AppError` when it is larger than `maxBytes` (counted as it arrives). */
  text(maxBytes: number): Promise<string>;
  /** Aborts when the client goes away before its answer is complete. */
  readonly signal: ClientSignal;
  /** A complete answer. `headers` are handed over: the exchange may add to them. */
  send(status: number, headers: Record<string, string>, body: Uint8Array | string): Response;
  /** A streamed answer: headers go out at once, then `pump` writes the body. */
  stream(
    status: number,
    headers: Record<string, string>,
    pump: (sink: ClientSink) => Promise<void>,
  ): Response;
  /** Lets `task` finish after the answer (Workers: `waitUntil`; Node runs it anyway). */
  waitUntil(task: Promise<unknown>): void;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };
