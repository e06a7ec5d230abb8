import { isRecord } from '../errors';
import { Hash32 } from '../lib/hash32';

/** The API a request body speaks: OpenAI chat, Anthropic Messages or OpenAI Responses. */
export type ConversationFamily = 'chat' | 'messages' | 'responses';

/** The bodies {@link conversationOf} reads: those of {@link ConversationFamily}, and legacy completions. */
export type PromptFamily = ConversationFamily | 'completions';

/**
 * Headers by which clients name their session, looked at in this order:
 * Claude Code sends `X-Claude-Code-Session-Id` (read from its 2.1 CLI); Codex CLI
 * sends `session_id` (older versions also `conversation_id`); others send
 * `x-session-id` or `session-id`.
 */
export const SESSION_HEADERS = [
  'x-claude-code-session-id',
  'session_id',
  'x-session-id',
  'session-id',
  'conversation_id',
] as const;

/** Most characters of one text hashed: its start and its end, beside its length. */
const PIECE_CHARS = 512;
/** Most characters hashed for one conversation's opening, whatever its size. */
const OPENING_CHARS = 4096;
/** Most leading system messages and content parts looked at. */
const MOST_PARTS = 16;
/** Longest session id hashed. */
const ID_CHARS = 256;
/**
 * A completions prompt's prefix that names its conversation, in characters: about 1,024 tokens,
 * the least a provider caches (OpenAI's automatic caching; Gemini's and others' are similar). A
 * shorter prompt has no prefix a provider would cache, so it gains nothing from keeping a key.
 */
export const CACHEABLE_PREFIX_CHARS = 4096;

const EXPLICIT = 1;
const OPENING = 2;
const PREFIX = 3;

/**
 * The identity of the conversation a request belongs to, as a 32-bit number,
 * or null when it has none. In order: the body's `session_id`, its
 * `prompt_cache_key`, a session header ({@link SESSION_HEADERS}), else a hash
 * of the conversation's opening, which every turn repeats: the system prompt
 * and the first user message (chat: `messages`; Anthropic Messages: `system`
 * and the first user message; OpenAI Responses: `instructions` and the first
 * input item). A legacy completions prompt has no such parts: its first
 * {@link CACHEABLE_PREFIX_CHARS} characters name it, when it has that many (a
 * conversation sent as one growing prompt, or code completion in one file,
 * repeats them), else it has none. It reads the body already parsed for the
 * model and hashes at most a few KB of it, however large the request.
 */
export function conversationOf(
  body: Record<string, unknown>,
  family: PromptFamily,
  header: (name: string) => string | undefined,
): number | null {
  const named = idText(body.session_id) ?? idText(body.prompt_cache_key) ?? sessionHeader(header);
  if (named !== null) return new Hash32(EXPLICIT).text(named, 0, Math.min(named.length, ID_CHARS)).digest();
  if (family === 'completions') return prefixOfPrompt(body.prompt);
  const opening = new Opening();
  if (family === 'chat') openingOfChat(body, opening);
  else if (family === 'messages') openingOfMessages(body, opening);
  else openingOfResponses(body, opening);
  return opening.digest();
}

function idText(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
}

function sessionHeader(header: (name: string) => string | undefined): string | null {
  for (const name of SESSION_HEADERS) {
    const value = header(name);
    if (value) return value;
  }
  return null;
}

/**
 * Completions: the prompt's first {@link CACHEABLE_PREFIX_CHARS} characters (its first and last
 * {@link PIECE_CHARS} of them are hashed), or null for a shorter prompt, token ids or a batch.
 */
function prefixOfPrompt(prompt: unknown): number | null {
  const text = Array.isArray(prompt) && prompt.length === 1 ? prompt[0] : prompt;
  if (typeof text !== 'string' || text.length < CACHEABLE_PREFIX_CHARS) return null;
  return new Hash32(PREFIX)
    .text(text, 0, PIECE_CHARS)
    .text(text, CACHEABLE_PREFIX_CHARS - PIECE_CHARS, CACHEABLE_PREFIX_CHARS)
    .digest();
}

/** Chat: the leading system (or developer) messages, then the first user message. */
function openingOfChat(body: Record<string, unknown>, opening: Opening): void {
  const messages = body.messages;
  if (!Array.isArray(messages)) return;
  const end = Math.min(messages.length, MOST_PARTS + 1);
  for (let i = 0; i < end; i++) {
    const message: unknown = messages[i];
    if (!isRecord(message)) continue;
    if (message.role === 'system' || message.role === 'developer') opening.content(message.content);
    else if (message.role === 'user') {
      opening.mark();
      opening.content(message.content);
      return;
    }
  }
}

/** Anthropic Messages: `system`, then the first user message. */
function openingOfMessages(body: Record<string, unknown>, opening: Opening): void {
  opening.content(body.system);
  const messages = body.messages;
  if (!Array.isArray(messages)) return;
  const end = Math.min(messages.length, MOST_PARTS);
  for (let i = 0; i < end; i++) {
    const message: unknown = messages[i];
    if (isRecord(message) && message.role === 'user') {
      opening.mark();
      opening.content(message.content);
      return;
    }
  }
}

/** OpenAI Responses: `instructions`, then the first input item (or the input, when a string). */
function openingOfResponses(body: Record<string, unknown>, opening: Opening): void {
  opening.content(body.instructions);
  opening.mark();
  const input = body.input;
  if (typeof input === 'string') opening.text(input);
  else if (Array.isArray(input) && input.length > 0) {
    const first: unknown = input[0];
    if (isRecord(first)) opening.content(first.content ?? first.output ?? first.arguments);
    else opening.content(first);
  }
}

/** The hash of an opening, fed piece by piece within a budget of characters. */
class Opening {
  private readonly hash = new Hash32(OPENING);
  private budget = OPENING_CHARS;
  private fed = false;

  /** A message's content: a string, or an array of parts with `text` (images by their URL). */
  content(content: unknown): void {
    if (typeof content === 'string') {
      this.text(content);
      return;
    }
    if (!Array.isArray(content)) return;
    const end = Math.min(content.length, MOST_PARTS);
    for (let i = 0; i < end; i++) {
      const part: unknown = content[i];
      if (typeof part === 'string') this.text(part);
      else if (isRecord(part)) {
        if (typeof part.text === 'string') this.text(part.text);
        else if (isRecord(part.image_url) && typeof part.image_url.url === 'string')
          this.text(part.image_url.url);
        else if (typeof part.image_url === 'string') this.text(part.image_url);
      }
    }
  }

  /** A boundary (between the system prompt and the user message). */
  mark(): void {
    this.hash.int(-1);
  }

  /** One text: whole when short, else its start, its end and its length. */
  text(text: string): void {
    if (this.budget <= 0 || text === '') return;
    const n = text.length;
    const half = Math.min(PIECE_CHARS >> 1, this.budget >> 1);
    this.fed = true;
    this.hash.int(n);
    if (n <= half * 2) {
      this.hash.text(text);
      this.budget -= n;
      return;
    }
    this.hash.text(text, 0, half).text(text, n - half, n);
    this.budget -= half * 2;
  }

  /** The hash, or null when nothing was fed. */
  digest(): number | null {
    return this.fed ? this.hash.digest() : null;
  }
}
