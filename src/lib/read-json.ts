import type { Context } from 'hono';
import { AppError } from '../errors';

/** Options of {@link readJson}. */
export interface ReadJsonOptions {
  maxBytes: number;
}

/**
 * Reads a JSON body: 413 when it is larger than `maxBytes`, 400 when it is
 * not JSON. Answers the text too, so a proxy can forward it untouched.
 */
export async function readJson(c: Context, options: ReadJsonOptions): Promise<{ text: string; json: unknown }> {
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  if (declared > options.maxBytes) throw tooLarge(options.maxBytes);
  const text = await c.req.text();
  if (text.length > options.maxBytes) throw tooLarge(options.maxBytes);
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    throw new AppError(400, 'The request body is not valid JSON', 'invalid_json');
  }
}

function tooLarge(max: number): AppError {
  return new AppError(413, `The request body is larger than ${max} bytes`, 'request_too_large');
}
