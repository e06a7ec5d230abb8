import { isRecord } from '../errors';
import type { ConversationFamily } from './conversation-identity';

/** Finish reasons after which an empty answer is what any key would give: not retried. */
const FINAL_REASONS = new Set(['length', 'content_filter', 'max_tokens', 'refusal']);

/**
 * Whether a complete 2xx answer is empty: no content and no tool call (chat:
 * no choice with text, tool calls or a function call; Anthropic Messages: no
 * text or tool-use block; OpenAI Responses: no output text or function call).
 * An answer cut by its token limit or a content filter is not called empty:
 * another key would answer the same. Anything that is not such an answer
 * (embeddings, an unknown shape) is not empty either.
 */
export function isEmptyAnswer(body: unknown, family: ConversationFamily): boolean {
  if (!isRecord(body)) return false;
  if (family === 'chat') {
    if (!Array.isArray(body.choices) || body.choices.length === 0) return false;
    for (const choice of body.choices) {
      if (!isRecord(choice)) return false;
      if (FINAL_REASONS.has(String(choice.finish_reason))) return false;
      const message = isRecord(choice.message) ? choice.message : choice;
      if (hasText(message.content) || hasText(choice.text) || hasItems(message.tool_calls)) return false;
      if (isRecord(message.function_call)) return false;
    }
    return true;
  }
  if (family === 'messages') {
    if (body.type !== 'message' || !Array.isArray(body.content)) return false;
    if (FINAL_REASONS.has(String(body.stop_reason))) return false;
    return !body.content.some(
      (block) => isRecord(block) && (block.type === 'tool_use' || hasText(block.text)),
    );
  }
  if (!Array.isArray(body.output)) return false;
  if (isRecord(body.incomplete_details)) return false;
  return !body.output.some(
    (item) =>
      isRecord(item) &&
      (item.type === 'function_call' ||
        (Array.isArray(item.content) && item.content.some((part) => isRecord(part) && hasText(part.text)))),
  );
}

/**
 * Whether a stream event carries something of the answer: text, a tool call,
 * reasoning, anything but the role, an empty delta, the finish or the usage.
 * Until such an event, an empty answer may still be retried on another key.
 */
export function eventHasContent(event: string | null, data: string, family: ConversationFamily): boolean {
  if (data === '[DONE]') return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return true;
  }
  if (!isRecord(parsed)) return true;
  if (family === 'chat') {
    if (!Array.isArray(parsed.choices)) return true;
    for (const choice of parsed.choices) {
      if (!isRecord(choice)) return true;
      const delta = isRecord(choice.delta) ? choice.delta : {};
      for (const [name, value] of Object.entries(delta)) {
        if (name === 'role' || value === null || value === '') continue;
        if (Array.isArray(value) && value.length === 0) continue;
        return true;
      }
      if (hasText(choice.text)) return true;
    }
    return false;
  }
  const type = event ?? parsed.type;
  if (family === 'messages') {
    if (type === 'content_block_delta') return true;
    return (
      type === 'content_block_start' && isRecord(parsed.content_block) && parsed.content_block.type !== 'text'
    );
  }
  return typeof type === 'string' && (type.endsWith('.delta') || type === 'response.output_item.done');
}

function hasText(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  return Array.isArray(value) && value.some((part) => isRecord(part) && hasText(part.text));
}

function hasItems(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}
