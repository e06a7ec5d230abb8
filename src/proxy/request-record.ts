import type { ErrorClass } from './upstream-error';
import type { Usage } from './usage';

/** One upstream attempt of a request, as logs show it (the key's hint, never the key). */
export interface AttemptRecord {
  keyId: string;
  keyHint: string;
  status: number | null;
  errorClass: ErrorClass | null;
  latencyMs: number;
}

/** What is remembered of one proxied request: no prompt, no answer. */
export interface RequestRecord {
  at: number;
  route: string;
  clientKeyId: string | null;
  clientName: string | null;
  model: string | null;
  resolvedModel: string | null;
  keyId: string | null;
  keyHint: string | null;
  status: number;
  attempts: number;
  tries: AttemptRecord[];
  latencyMs: number;
  stream: boolean;
  errorClass: ErrorClass | null;
  /** Read from the answer's `usage` object (found by a scan, not a parse) or the stream's tail. */
  usage: Usage | null;
}

/** Takes request records; batches them into stats and the recent-requests log. */
export interface Recorder {
  record(record: RequestRecord): void;
}
