import { AppError, anthropicErrorBody, type ErrorFormat, errorBody, errorTypeFor, isRecord } from '../errors';
import { lastChunkIdentity } from './usage';

/**
 * An error carried by an SSE event, normalised: `code` is the HTTP status it
 * stands for, so the one classifier of upstream errors can judge it.
 */
export interface EventError {
  error: { code?: unknown; message?: unknown; metadata?: unknown };
}

/**
 * The wire format of one group of proxy routes: how its errors are shaped,
 * how an error shows in its event stream, and how a stream cut short is ended
 * for its clients. Chat, completions and embeddings speak OpenAI's chat
 * format; `/responses` OpenAI's Responses events; `/messages` Anthropic's.
 */
export interface ApiFamily {
  readonly name: 'openai' | 'responses' | 'anthropic';
  /** The body of an error answer. */
  readonly errorBody: ErrorFormat;
  /**
   * The error an SSE event carries (its `event:` name, null when it has none, and its data),
   * or null. Asked only of events before the first one that commits the stream.
   */
  eventError(event: string | null, data: string): EventError | null;
  /**
   * The event that ends a stream cut short, given the last bytes the client got, and the
   * error as the client hears it when one was built (its type and the upstream's `metadata`).
   */
  streamErrorEvent(status: number, message: string, tail: string, error?: AppError): string;
  /** Whether a stream's tail may hold an error event (a cheap test before any parsing). */
  tailMayHoldError(tail: string): boolean;
}

/** OpenAI's chat format (and OpenRouter's mid-stream error chunk). */
export const openAiFamily: ApiFamily = {
  name: 'openai',
  errorBody,
  eventError: (_event, data) => topLevelError(data),
  streamErrorEvent: chatErrorEvent,
  tailMayHoldError: (tail) =>
    tail.includes('"finish_reason":"error"') || tail.includes('"finish_reason": "error"'),
};

/** Anthropic's Messages format: `event: error` with `{"type": "error", "error": {"type", "message"}}`. */
export const anthropicFamily: ApiFamily = {
  name: 'anthropic',
  errorBody: anthropicErrorBody,
  eventError(event, data) {
    if (event !== 'error' && !data.includes('"error"')) return null;
    const parsed = parseObject(data);
    if (!parsed || (event !== 'error' && parsed.type !== 'error') || !isRecord(parsed.error)) return null;
    const inner = parsed.error;
    // Anthropic's `type` stays for the classifier, which reads it first; `code` is the status it means.
    return { error: { ...inner, code: Number(inner.code) || statusOfAnthropicType(inner.type) } };
  },
  streamErrorEvent(status, message) {
    const body = anthropicErrorBody(new AppError(status, message, status));
    return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
  },
  tailMayHoldError: (tail) => tail.includes('event: error') || tail.includes('event:error'),
};

/**
 * OpenAI's Responses format: an `error` event (`{"type": "error", "code", "message"}`) or a
 * `response.failed` one whose `response.error` says why.
 */
export const responsesFamily: ApiFamily = {
  name: 'responses',
  errorBody,
  eventError(event, data) {
    if (!data.includes('"error"') && !data.includes('response.failed')) return null;
    const parsed = parseObject(data);
    if (!parsed) return null;
    const type = event ?? parsed.type;
    // The Responses code (`rate_limit_exceeded`, `server_error`, ...) is a type to the classifier.
    if (type === 'error') {
      const inner = isRecord(parsed.error) ? parsed.error : parsed;
      return { error: { type: inner.code, code: statusOfResponsesCode(inner.code), message: inner.message } };
    }
    if (type === 'response.failed') {
      const inner = isRecord(parsed.response) && isRecord(parsed.response.error) ? parsed.response.error : {};
      return { error: { type: inner.code, code: statusOfResponsesCode(inner.code), message: inner.message } };
    }
    return topLevelError(data);
  },
  streamErrorEvent(status, message, tail) {
    const code = status === 429 ? 'rate_limit_exceeded' : 'server_error';
    // `error` besides the Responses fields: the `openai` SDK raises an event that has one
    // (it hands an `error` event without it to the caller as one more event).
    const event = {
      type: 'error',
      code,
      message,
      param: null,
      sequence_number: lastSequenceNumber(tail) + 1,
      error: { type: errorTypeFor(status), code, message },
    };
    return `event: error\ndata: ${JSON.stringify(event)}\n\n`;
  },
  tailMayHoldError: (tail) => tail.includes('event: error') || tail.includes('response.failed'),
};

/**
 * An error chunk shaped like OpenRouter's mid-stream one, which OpenAI clients raise; the
 * upstream's `metadata` is kept when the error carried it.
 */
export function chatErrorEvent(status: number, message: string, tail: string, error?: AppError): string {
  const { id, model } = lastChunkIdentity(tail);
  const chunk = {
    id: id ?? `gen-cloudrouter-${Date.now()}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: model ?? 'unknown',
    error: { ...error?.extra, message, type: error?.type ?? errorTypeFor(status), code: status },
    choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The HTTP status an Anthropic error type stands for (OpenRouter's `/messages` sends these). */
export function statusOfAnthropicType(type: unknown): number {
  switch (type) {
    case 'invalid_request_error':
      return 400;
    case 'authentication_error':
      return 401;
    case 'billing_error':
      return 402;
    case 'permission_error':
      return 403;
    case 'not_found_error':
      return 404;
    case 'request_too_large':
      return 413;
    case 'rate_limit_error':
      return 429;
    case 'timeout_error':
      return 504;
    case 'overloaded_error':
      return 529;
    default:
      return 502;
  }
}

/** The HTTP status a Responses error code stands for; a number is taken as it is. */
export function statusOfResponsesCode(code: unknown): number {
  if (typeof code === 'number' && code >= 400 && code < 600) return code;
  if (code === 'rate_limit_exceeded') return 429;
  if (typeof code === 'string' && /^invalid_|_too_(large|small)$|policy/.test(code)) return 400;
  return 502;
}

function topLevelError(data: string): EventError | null {
  if (!data.includes('"error"')) return null;
  const parsed = parseObject(data);
  return parsed && isRecord(parsed.error) ? { error: parsed.error } : null;
}

function parseObject(data: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(data);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** The `sequence_number` of the last Responses event in a stream's tail, or -1. */
function lastSequenceNumber(tail: string): number {
  const all = tail.match(/"sequence_number"\s*:\s*(\d+)/g);
  const last = all?.at(-1);
  return last ? Number(last.slice(last.lastIndexOf(':') + 1)) : -1;
}
