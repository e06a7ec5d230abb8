import type { RequestRecord } from '../proxy/request-record';
import type { ErrorClass } from '../proxy/upstream-error';
import type { Usage } from '../proxy/usage';

/** One line of the recent-requests log, as stored and as `GET /admin/api/logs` shows it. No prompt, no answer. */
export interface LogEntry {
  time: string;
  route: string;
  client_id: string | null;
  client_name: string | null;
  model: string | null;
  resolved_model: string | null;
  key_id: string | null;
  key_hint: string | null;
  status: number;
  attempts: number;
  tries: Array<{
    key_id: string;
    key_hint: string;
    status: number | null;
    error_class: ErrorClass | null;
    latency_ms: number;
  }>;
  latency_ms: number;
  stream: boolean;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost: number | null;
  error_class: ErrorClass | null;
}

/** Whether a record counts as a failure, and of which class. */
export function failureClass(record: RequestRecord): ErrorClass | null {
  if (record.errorClass) return record.errorClass;
  return record.status >= 400 || record.status === 0 ? 'upstream_error' : null;
}

/** The last time formatted: a busy proxy logs many requests within one millisecond. */
let lastAt = Number.NaN;
let lastTime = '';
/** The last second formatted (`2026-12-06T16:31:45.`): the milliseconds are added to it. */
let lastSecond = Number.NaN;
let secondText = '';
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));

/** `at` as `Date.prototype.toISOString` writes it, without a `Date` per millisecond. */
export function isoTime(at: number): string {
  if (at !== lastAt) {
    const second = Math.floor(at / 1000);
    if (second !== lastSecond) {
      secondText = new Date(second * 1000).toISOString().slice(0, 20);
      lastSecond = second;
    }
    lastTime = `${secondText}${MILLIS[at - second * 1000]}Z`;
    lastAt = at;
  }
  return lastTime;
}

export function toLogEntry(record: RequestRecord, usage: Usage | null): LogEntry {
  return {
    time: isoTime(record.at),
    route: record.route,
    client_id: record.clientKeyId,
    client_name: record.clientName,
    model: record.model,
    resolved_model: record.resolvedModel,
    key_id: record.keyId,
    key_hint: record.keyHint,
    status: record.status,
    attempts: record.attempts,
    tries: record.tries.map((t) => ({
      key_id: t.keyId,
      key_hint: t.keyHint,
      status: t.status,
      error_class: t.errorClass,
      latency_ms: t.latencyMs,
    })),
    latency_ms: record.latencyMs,
    stream: record.stream,
    prompt_tokens: usage?.promptTokens ?? null,
    completion_tokens: usage?.completionTokens ?? null,
    cost: usage?.cost ?? null,
    error_class: failureClass(record),
  };
}
