import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGzip, type Gzip, gzipSync, constants as zlibConstants } from 'node:zlib';
import { errorMessageFor, orError } from './payloads.js';
import type { MockReply, SseStep } from './types.js';

const JSON_TYPE = 'application/json';
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

/** Fills in the body of a reply: the error shorthand, or a default error for status >= 400. */
export function errorBody(reply: MockReply): { status: number; body: unknown } | undefined {
  if (reply.error) {
    const status = reply.status ?? reply.error.code ?? 500;
    const code = reply.error.code ?? status;
    return { status, body: orError(code, reply.error.message, reply.error.metadata) };
  }
  const status = reply.status ?? 200;
  if (reply.body === undefined && !reply.sse && status >= 400) {
    return { status, body: orError(status, errorMessageFor(status)) };
  }
  return undefined;
}

/** Writes a reply to the response; resolves when done (never, for `hang`, until aborted). */
export async function writeReply(res: ServerResponse, reply: MockReply, signal: AbortSignal): Promise<void> {
  if (reply.hang) return;
  if (reply.delayMs) await sleep(reply.delayMs, undefined, { signal });
  if (res.destroyed) return;
  if (reply.sse) return writeSse(res, reply, signal);
  const filled = errorBody(reply);
  const status = filled?.status ?? reply.status ?? 200;
  const body = filled ? filled.body : reply.body;
  const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-type': JSON_TYPE, ...reply.headers };
  if (reply.gzip) {
    const zipped = gzipSync(text);
    headers['content-encoding'] = 'gzip';
    headers['content-length'] = zipped.length;
    res.writeHead(status, headers);
    res.end(zipped);
    return;
  }
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(status, headers);
  res.end(text);
}

/** The wire text of one SSE step, or null for a delay step. */
export function sseText(step: SseStep): string | null {
  if ('delayMs' in step && typeof step.delayMs === 'number' && Object.keys(step).length === 1) return null;
  if ('done' in step && step.done === true) return 'data: [DONE]\n\n';
  if ('comment' in step && typeof step.comment === 'string') return `: ${step.comment}\n\n`;
  if ('raw' in step && typeof step.raw === 'string') return step.raw;
  const data = 'data' in step && !('object' in step) ? step.data : step;
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve) => out.write(text, () => resolve()));
}

async function writeSse(res: ServerResponse, reply: MockReply, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string> = { ...SSE_HEADERS, ...reply.headers };
  let out: Writable = res;
  let gzip: Gzip | undefined;
  if (reply.gzip) {
    headers['content-encoding'] = 'gzip';
    gzip = createGzip({ flush: zlibConstants.Z_SYNC_FLUSH });
    gzip.pipe(res);
    out = gzip;
  }
  res.writeHead(reply.status ?? 200, headers);
  res.flushHeaders();
  let written = 0;
  for (const step of reply.sse ?? []) {
    if (reply.dropAfter !== undefined && written >= reply.dropAfter) break;
    const text = sseText(step);
    if (text === null) {
      await sleep((step as { delayMs: number }).delayMs, undefined, { signal });
    } else {
      await write(out, text);
      written++;
    }
    if (res.destroyed) return;
  }
  if (reply.dropAfter !== undefined) {
    if (gzip) await new Promise<void>((resolve) => gzip.flush(() => resolve()));
    await drain(res);
    res.socket?.destroy();
    res.destroy();
    return;
  }
  out.end();
}

// Waits until what was written reached the socket, so a drop does not discard it.
async function drain(res: ServerResponse): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const socket = res.socket;
  if (socket && socket.writableLength > 0) {
    await new Promise<void>((resolve) => {
      socket.once('drain', resolve);
      setTimeout(resolve, 200).unref();
    });
  }
}
