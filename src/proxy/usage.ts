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

/** The usage of a complete JSON answer, or null. */
export function usageFromJson(body: Uint8Array | string): Usage | null {
  const text = typeof body === 'string' ? body : decoder.decode(body);
  if (!text.includes('"usage"')) return null;
  try {
    return fromObject(JSON.parse(text));
  } catch {
    return null;
  }
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
