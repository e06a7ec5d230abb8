import type { Context } from 'hono';
import { AppError, clientClosed } from '../errors';

/** Options of {@link readJson}. */
export interface ReadJsonOptions {
  maxBytes: number;
}

/**
 * Reads a JSON body: 413 when it is larger than `maxBytes` (counted in bytes
 * as they arrive, so an oversized body without Content-Length is never held
 * whole), 400 when it is not JSON. Answers the text too, so a proxy can
 * forward it untouched.
 */
export async function readJson(
  c: Context,
  options: ReadJsonOptions,
): Promise<{ text: string; json: unknown }> {
  const text = await readRequestText(c, options.maxBytes);
  return { text, json: parseJsonBody(text) };
}

/** A request body as text, within `maxBytes` (see {@link readJson}). */
export async function readRequestText(c: Context, maxBytes: number): Promise<string> {
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw bodyTooLarge(maxBytes);
  try {
    // A declared length within the limit is held to by the runtime's HTTP parser, so the fast
    // whole-body read is safe (on Node it skips building a Web stream); otherwise count as it arrives.
    return declared >= 0 ? await c.req.text() : await readText(c.req.raw, maxBytes);
  } catch (err) {
    if (err instanceof AppError) throw err;
    // The body stopped coming: the client left before it was whole.
    throw clientClosed();
  }
}

/** The JSON of a request body; 400 when it is not JSON. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, 'The request body is not valid JSON', 'invalid_json');
  }
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** The 413 of a body larger than `max` bytes. */
export function bodyTooLarge(max: number): AppError {
  return new AppError(413, `The request body is larger than ${max} bytes`, 'request_too_large');
}
