import { isRecord } from '../errors';

/**
 * An estimate of the input tokens of an Anthropic Messages request, for
 * `POST /v1/messages/count_tokens`, which OpenRouter does not serve: about
 * four characters a token over the text of `system`, `messages` and `tools`
 * (images count as the characters of their JSON). A guide for context
 * bookkeeping, as Claude Code uses it; the real count comes in each answer's usage.
 */
export function estimateInputTokens(body: Record<string, unknown>): number {
  let chars = textLength(body.system) + textLength(body.messages);
  if (Array.isArray(body.tools)) chars += JSON.stringify(body.tools).length;
  const messages = Array.isArray(body.messages) ? body.messages.length : 0;
  return Math.max(1, Math.ceil(chars / 4) + 3 * messages);
}

/** The characters of text in a content value: a string, text blocks, messages, nested content. */
function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) {
    let n = 0;
    for (const item of value) n += textLength(item);
    return n;
  }
  if (!isRecord(value)) return 0;
  if (typeof value.text === 'string') return value.text.length;
  if (value.content !== undefined) return textLength(value.content);
  if (value.type === 'tool_use') return JSON.stringify(value.input ?? {}).length;
  return JSON.stringify(value).length;
}
