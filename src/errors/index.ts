/**
 * One builder for every error CloudRouter answers. The shape is OpenAI's
 * (`{"error": {"message", "type", "code"?, ...}}`) so every OpenAI client
 * reads it; fields an upstream error carried (`code`, `metadata`) are kept.
 */

/** OpenAI's error types, chosen from the status when none is given. */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'timeout_error'
  | 'server_error'
  | 'service_unavailable';

/** The JSON body of an error answer. */
export interface ErrorBody {
  error: { message: string; type: string; code?: string | number | null; [extra: string]: unknown };
}

/** An error that becomes an answer: status, type, code and extra headers. */
export class AppError extends Error {
  override name = 'AppError';
  /** Seconds the client should wait before trying again: the answer's `Retry-After`. */
  retryAfterS: number | null = null;
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | number | null = null,
    readonly type: string = errorTypeFor(status),
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The OpenAI error type that fits an HTTP status. */
export function errorTypeFor(status: number): ErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'insufficient_quota';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 408 || status === 504 || status === 524) return 'timeout_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503) return 'service_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Builds the body of an error answer. */
export function errorBody(err: AppError): ErrorBody {
  return { error: { ...err.extra, message: err.message, type: err.type, code: err.code } };
}

/**
 * The parts of an error answer, for a runtime that writes them itself;
 * `headers` are added to the error's own, `Retry-After` comes from the
 * error's `retryAfterS`, and `format` shapes the body.
 */
export function errorAnswer(
  err: AppError,
  headers: Record<string, string> = {},
  format: ErrorFormat = errorBody,
): { status: number; headers: Record<string, string>; body: string } {
  const all: Record<string, string> = { 'content-type': 'application/json', ...err.headers, ...headers };
  if (err.retryAfterS !== null) all['retry-after'] = String(err.retryAfterS);
  return { status: err.status, headers: all, body: JSON.stringify(format(err)) };
}

/** The body of an error answer in one API's shape (OpenAI's, {@link errorBody}, by default). */
export type ErrorFormat = (err: AppError) => unknown;

/** Anthropic's error types (api.anthropic.com and OpenRouter's `/messages`), chosen from the status. */
export function anthropicErrorTypeFor(status: number): string {
  if (status === 400 || status === 422) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 408 || status === 504 || status === 524) return 'timeout_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/**
 * The body of an error answer in Anthropic's shape, `{"type": "error", "error": {"type", "message"}}`,
 * which the Anthropic SDKs and Claude Code read. CloudRouter's `code` and the upstream's
 * `metadata` are kept beside them; `type` is always one of Anthropic's.
 */
export function anthropicErrorBody(err: AppError): unknown {
  return {
    type: 'error',
    error: { ...err.extra, type: anthropicErrorTypeFor(err.status), message: err.message, code: err.code },
  };
}

/** Builds the complete error answer; `headers` are added to the error's own. */
export function errorResponse(err: AppError, headers: Record<string, string> = {}): Response {
  const answer = errorAnswer(err, headers);
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** The client went away before its answer (499, as nginx logs it): nothing is sent, but it is recorded. */
export function clientClosed(): AppError {
  return new AppError(499, 'The client closed the request', 'client_closed');
}

/** What any thrown value answers: an {@link AppError} as it is, anything else a 500 (after `unexpected` hears of it). */
export function appErrorOf(err: unknown, unexpected: (err: unknown) => void): AppError {
  if (err instanceof AppError) return err;
  unexpected(err);
  return new AppError(500, 'Internal error in CloudRouter', 'internal_error');
}

/**
 * Turns an upstream error body (OpenRouter's `{error: {code, message, metadata}}`,
 * or anything else) into an {@link AppError} with the upstream's status,
 * keeping `code` and `metadata`.
 */
export function fromUpstreamError(status: number, body: unknown): AppError {
  const inner = isRecord(body) && isRecord(body.error) ? body.error : null;
  const message =
    typeof inner?.message === 'string' && inner.message
      ? inner.message
      : `Upstream answered ${status} without an error message`;
  const code = typeof inner?.code === 'string' || typeof inner?.code === 'number' ? inner.code : status;
  const type = typeof inner?.type === 'string' && inner.type ? inner.type : errorTypeFor(status);
  const extra: Record<string, unknown> = {};
  if (inner && 'metadata' in inner) extra.metadata = inner.metadata;
  if (inner && 'param' in inner) extra.param = inner.param;
  return new AppError(status, message, code, type, {}, extra);
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
