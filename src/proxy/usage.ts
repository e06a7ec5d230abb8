import type { AnswerText } from './answer-text';

/** Token counts and cost read from an answer. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cost: number;
}

/**
 * The usage of a complete JSON answer, or null. Reads only the `usage` object
 * (found from the end), never the whole answer, unless its end lacks one.
 */
export function usageOfAnswer(answer: AnswerText): Usage | null {
  return usageInText(answer.tail) ?? (answer.isWhole ? null : usageInText(answer.whole()));
}

/** `"usage"`: inside a JSON string its quotes would be escaped, so every match is a key. */
function usageInText(text: string): Usage | null {
  const at = text.lastIndexOf('"usage"');
  if (at < 0) return null;
  let open = at + 7;
  while (isSpace(text.charCodeAt(open))) open++;
  if (text.charCodeAt(open) !== 0x3a) return null;
  open++;
  while (isSpace(text.charCodeAt(open))) open++;
  return text.charCodeAt(open) === 0x7b ? usageObjectAt(text, open) : null;
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** `seen` when all four counts were read: the rest of the object is skipped. */
const ALL_FIELDS = 15;

/**
 * The counts of the usage object that opens at `start`. OpenAI's chat names (`prompt_tokens`, `completion_tokens`, `total_tokens`), the
 * Responses and Anthropic ones (`input_tokens`, `output_tokens`) and OpenRouter's `cost` are
 * read; Anthropic's `cache_creation_input_tokens` and `cache_read_input_tokens`, which its
 * `input_tokens` leaves out, are added to the prompt tokens, as OpenAI counts them. Read in one
 * pass that builds no object (nested details are skipped, and so is the rest once the four counts are read);
 * null when the object is cut short before them.
 */
function usageObjectAt(text: string, start: number): Usage | null {
  let depth = 0;
  let key: string | null = null;
  let expectKey = false;
  let seen = 0;
  let prompt = 0;
  let completion = 0;
  let total = 0;
  let cost = 0;
  let cached = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const from = i + 1;
      i = closingQuote(text, from);
      if (depth === 1 && expectKey) {
        key = text.slice(from, i);
        expectKey = false;
      }
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      expectKey = c === 0x7b && depth === 1;
    } else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) break;
    } else if (c === 0x2c) {
      if (depth === 1) expectKey = true;
    } else if (depth === 1 && key !== null && (c === 0x2d || (c >= 0x30 && c <= 0x39))) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
      // A number that runs to the end of the text may be cut short: the object is incomplete.
      if (end === text.length) return null;
      const value = Number(text.slice(i, end));
      if (Number.isFinite(value)) {
        if (key === 'prompt_tokens' || key === 'input_tokens') {
          prompt = value;
          seen |= 1;
        } else if (key === 'completion_tokens' || key === 'output_tokens') {
          completion = value;
          seen |= 2;
        } else if (key === 'total_tokens') {
          total = value;
          seen |= 4;
        } else if (key === 'cost') {
          cost = value;
          seen |= 8;
        } else if (key === 'cache_creation_input_tokens' || key === 'cache_read_input_tokens') {
          cached += value;
        }
        if (seen === ALL_FIELDS) break;
      }
      key = null;
      i = end - 1;
    }
  }
  if (depth !== 0 && seen !== ALL_FIELDS) return null;
  return {
    promptTokens: prompt + cached,
    completionTokens: completion,
    totalTokens: total || prompt + cached + completion,
    cost,
  };
}

/** The index of the quote that closes a JSON string whose text starts at `from` (or the text's length). */
function closingQuote(text: string, from: number): number {
  for (let at = text.indexOf('"', from); at >= 0; at = text.indexOf('"', at + 1)) {
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return at;
  }
  return text.length;
}

/** Digits, sign, point and exponent. */
const isNumberChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x2b || c === 0x65 || c === 0x45;

/** The usage in the last `data:` events of a stream's tail (the same `usage` object), or null. */
export function usageFromSseTail(tail: string): Usage | null {
  return usageInText(tail);
}

/** The `id` and `model` of the last chunk in a stream's tail, to shape an error event like it. */
export function lastChunkIdentity(tail: string): { id: string | null; model: string | null } {
  const id = /"id"\s*:\s*"([^"]+)"/.exec(tail.slice(tail.lastIndexOf('data:')));
  const model = /"model"\s*:\s*"([^"]+)"/.exec(tail.slice(tail.lastIndexOf('data:')));
  return { id: id?.[1] ?? null, model: model?.[1] ?? null };
}
