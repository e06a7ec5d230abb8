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

/** OpenRouter sends `usage` last: the end of an answer nearly always holds it. */
const TAIL_BYTES = 4096;

/**
 * The usage of a complete JSON answer, or null. Reads only the `usage` object
 * (found from the end), never the whole answer, unless its end lacks one.
 */
export function usageFromJson(body: Uint8Array | string): Usage | null {
  if (typeof body === 'string') return usageInText(body);
  if (body.length > TAIL_BYTES) {
    const found = usageInText(decoder.decode(body.subarray(body.length - TAIL_BYTES)));
    if (found) return found;
  }
  return usageInText(decoder.decode(body));
}

/** `"usage"`: inside a JSON string its quotes would be escaped, so every match is a key. */
function usageInText(text: string): Usage | null {
  const at = text.lastIndexOf('"usage"');
  if (at < 0) return null;
  const open = text.indexOf('{', at);
  if (open < 0 || !/^\s*:\s*$/.test(text.slice(at + 7, open))) return null;
  // Usage is the last member: it ends just before the answer's last brace.
  try {
    return fromObject({ usage: JSON.parse(text.slice(open, text.lastIndexOf('}'))) });
  } catch {
    // Not the last member: find where it ends.
  }
  const end = objectEnd(text, open);
  if (end < 0) return null;
  try {
    return fromObject({ usage: JSON.parse(text.slice(open, end)) });
  } catch {
    return null;
  }
}

/** The end (exclusive) of the JSON object that starts at `start`, or -1. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i + 1;
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
