import { lastIndexOfBytes } from '../lib/bytes';

/** Token counts and cost read from an answer. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cost: number;
}

const decoder = new TextDecoder();

function fromObject(value: unknown): Usage | null {
  if (!value || typeof value !== 'object') return null;
  const usage = (value as { usage?: Record<string, unknown> }).usage;
  if (!usage || typeof usage !== 'object') return null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const prompt = num(usage.prompt_tokens);
  const completion = num(usage.completion_tokens);
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: num(usage.total_tokens) || prompt + completion,
    cost: num(usage.cost),
  };
}

/**
 * The usage of a complete JSON answer, or null. Reads only the `usage` object
 * (OpenRouter puts it last: the scan starts from the end), never the whole answer.
 */
export function usageFromJson(body: Uint8Array | string): Usage | null {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const at = lastIndexOfBytes(bytes, USAGE);
  if (at < 0) return null;
  let i = at + USAGE.length;
  while (isSpace(bytes[i])) i++;
  if (bytes[i] !== COLON) return null;
  i++;
  while (isSpace(bytes[i])) i++;
  const end = objectEnd(bytes, i);
  if (end < 0) return null;
  try {
    return fromObject({ usage: JSON.parse(decoder.decode(bytes.subarray(i, end))) });
  } catch {
    return null;
  }
}

const encoder = new TextEncoder();
/** `"usage"`: inside a JSON string its quotes would be escaped, so every match is a key. */
const USAGE = encoder.encode('"usage"');
const COLON = 0x3a;
const QUOTE = 0x22;
const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** The end (exclusive) of the JSON object that starts at `start`, or -1. */
function objectEnd(bytes: Uint8Array, start: number): number {
  if (bytes[start] !== 0x7b) return -1;
  let depth = 0;
  let inString = false;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === 0x7b) depth++;
    else if (b === 0x7d && --depth === 0) return i + 1;
  }
  return -1;
}

/** The usage in the last `data:` events of a stream's tail, or null. */
export function usageFromSseTail(tail: string): Usage | null {
  const at = tail.lastIndexOf('"usage"');
  if (at < 0) return null;
  const start = tail.lastIndexOf('data:', at);
  if (start < 0) return null;
  const end = tail.indexOf('\n', at);
  try {
    return fromObject(JSON.parse(tail.slice(start + 5, end < 0 ? undefined : end).trim()));
  } catch {
    return null;
  }
}

/** The `id` and `model` of the last chunk in a stream's tail, to shape an error event like it. */
export function lastChunkIdentity(tail: string): { id: string | null; model: string | null } {
  const id = /"id"\s*:\s*"([^"]+)"/.exec(tail.slice(tail.lastIndexOf('data:')));
  const model = /"model"\s*:\s*"([^"]+)"/.exec(tail.slice(tail.lastIndexOf('data:')));
  return { id: id?.[1] ?? null, model: model?.[1] ?? null };
}
