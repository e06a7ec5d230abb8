/** One HTTP request the mock received (control-API calls are not recorded). */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/api/v1/chat/completions`. */
  path: string;
  /** Query string including the leading `?`, or `''`. */
  search: string;
  /** Lower-cased header names; repeated headers are joined with `, `. */
  headers: Record<string, string>;
  /** The bearer token of the `Authorization` header, or null when there is none. */
  key: string | null;
  /** Parsed JSON body, the raw text when it is not JSON, or null when empty. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of recorded bodies
  body: any;
  rawBody: string;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** `Date.now()` when the connection closed before the reply was complete: the caller gave up (on a hang, say), or `dropAfter`. */
  closedEarlyAt?: number;
}

/** A chunk object; inside `sse` it is shorthand for `{ data: chunk }`. */
export interface StreamChunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: unknown[];
  [field: string]: unknown;
}

/** One step of a scripted SSE stream. */
export type SseStep =
  | { data: unknown }
  | { comment: string }
  | { raw: string }
  | { delayMs: number }
  | { done: true }
  | StreamChunk;

/** What the mock answers to one request. */
export interface MockReply {
  /** HTTP status, default 200. */
  status?: number;
  headers?: Record<string, string>;
  /**
   * JSON body (a string is sent as-is). When omitted: status >= 400 gives an OpenRouter error
   * body, otherwise the default payload of the route is sent.
   */
  body?: unknown;
  /** Shorthand for an OpenRouter error body; `code` defaults to the status (status defaults to code). */
  error?: { message: string; code?: number; metadata?: object };
  /** Wait this long before sending headers. */
  delayMs?: number;
  /** Accept the request and never answer (until the mock closes). */
  hang?: boolean;
  /** Stream these steps as `text/event-stream`, each flushed at once. */
  sse?: SseStep[];
  /** With `sse`: destroy the socket after this many output steps (delay steps do not count). */
  dropAfter?: number;
  /** Send the body gzip-compressed with `content-encoding: gzip`. */
  gzip?: boolean;
  /**
   * Which route this reply is for, relative to `/api/v1` (e.g. `/key`, `/models`). When omitted the
   * reply applies to the inference routes only: POST `/chat/completions`, `/completions`, `/embeddings`,
   * `/messages`, `/responses`.
   */
  path?: string;
}

/** A persistent reply, or a function of the request (return nothing to fall through to the default). */
export type ReplySource = MockReply | ((req: RecordedRequest) => MockReply | undefined | null);

/** The `data` member of OpenRouter's `GET /key` answer. */
export interface KeyData {
  label: string;
  limit: number | null;
  limit_remaining: number | null;
  limit_reset: string | null;
  usage: number;
  usage_daily: number;
  usage_weekly: number;
  usage_monthly: number;
  byok_usage: number;
  byok_usage_daily: number;
  byok_usage_weekly: number;
  byok_usage_monthly: number;
  include_byok_in_limit: boolean;
  is_free_tier: boolean;
  is_management_key: boolean;
  is_provisioning_key: boolean;
  expires_at: string | null;
  creator_user_id: string | null;
  rate_limit: { requests: number; interval: string; note: string };
  allowed_data_regions: string[];
  free_model_daily_requests: { limit: number; remaining: number; used: number };
  organization_id: string | null;
  workspace_id: string | null;
}

/** What `keyInfo` accepts: fields of the key's data, or an HTTP error answer. */
export type KeyInfoSetting = Partial<KeyData> | { status: number; body?: unknown };

/** A running mock OpenRouter. */
export interface MockOpenRouter {
  /** Base URL, e.g. `http://127.0.0.1:PORT/api/v1`. */
  url: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** Every request seen, in order (control-API calls excluded). */
  requests: RecordedRequest[];
  /** Queue replies (each used once, in order) for requests bearing this key; `'*'` = any request. */
  script(key: string, ...replies: MockReply[]): void;
  /** Persistent reply for a key once its queue is empty; `null` removes it. */
  always(key: string, reply: ReplySource | null): void;
  /** What `GET /key` answers for that key; an error setting also fails inference with that key. */
  keyInfo(key: string, info: KeyInfoSetting): void;
  /** Replaces the catalogue served by `GET /models` (and used to validate model ids). */
  setModels(models: object[]): void;
  /** Recorded requests to POST /chat/completions. */
  chatRequests(): RecordedRequest[];
  /** Clears scripts, recordings, key infos and the catalogue back to defaults. */
  reset(): void;
  /** Closes the server, destroying every open socket (hanging ones too). */
  close(): Promise<void>;
}
