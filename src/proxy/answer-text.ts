import { isRecord } from '../errors';

const decoder = new TextDecoder();

/** The start that may hold an `{"error": ...}` object. */
const HEAD_CHARS = 2048;
/** OpenRouter sends `usage` last: the end of an answer nearly always holds it. */
const TAIL_BYTES = 4096;

/**
 * A complete upstream answer: its bytes, and the text of its start and end,
 * decoded once for the checks that read them (an error object at the start,
 * the usage at the end). A small answer is decoded whole, once.
 */
export class AnswerText {
  readonly head: string;
  readonly tail: string;
  private text: string | null;

  constructor(readonly bytes: Uint8Array) {
    if (bytes.length <= TAIL_BYTES) {
      this.text = decoder.decode(bytes);
      this.head = this.text;
      this.tail = this.text;
    } else {
      this.text = null;
      this.head = decoder.decode(bytes.subarray(0, HEAD_CHARS));
      this.tail = decoder.decode(bytes.subarray(bytes.length - TAIL_BYTES));
    }
  }

  /** Whether `tail` is the whole answer. */
  get isWhole(): boolean {
    return this.bytes.length <= TAIL_BYTES;
  }

  /** The whole answer as text. */
  whole(): string {
    this.text ??= decoder.decode(this.bytes);
    return this.text;
  }
}

/** A 2xx JSON answer that is really an error (`{"error": {...}}` without choices), or null. */
export function errorInAnswer(answer: AnswerText): { status: number; body: unknown } | null {
  const at = answer.head.indexOf('"error"');
  if (at < 0 || at >= HEAD_CHARS) return null;
  try {
    const parsed: unknown = JSON.parse(answer.whole());
    if (
      !isRecord(parsed) ||
      !isRecord(parsed.error) ||
      Array.isArray(parsed.choices) ||
      Array.isArray(parsed.data)
    ) {
      return null;
    }
    const code = Number(parsed.error.code);
    return { status: Number.isInteger(code) && code >= 400 && code < 600 ? code : 502, body: parsed };
  } catch {
    return null;
  }
}
