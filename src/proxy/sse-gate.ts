import { type EventError, openAiFamily } from './api-family';

/**
 * Watches the start of an SSE stream until its first `data:` event, so that a
 * stream whose first event is an error (or that ends before any data) can
 * still move to another key: up to that point the client has seen nothing
 * but comment lines, which any stream may carry.
 *
 * Chunks are forwarded whole and in order, so the bytes reach the client
 * exactly as upstream sent them. `feed` answers what to do with the chunks
 * held so far:
 * - `hold`: wait for more (an event is incomplete);
 * - `forward`: send the held chunks (only comments so far);
 * - `commit`: send the held chunks; the stream is the client's from now on;
 * - `error`: the first event is an error: `event` is its parsed JSON.
 *
 * What counts as an error event depends on the API family (`readError`):
 * OpenRouter's chat error chunk by default, Anthropic's `event: error`, the
 * Responses `error` and `response.failed` events. With `hasContent` (empty
 * answers are retried), data events without content (the role, an empty
 * delta, the finish, the usage) are held too, and the commit waits for the
 * first event with content; {@link SseGate.sawData} then tells an empty
 * answer from a stream that sent no data at all.
 */
export type GateVerdict =
  | { kind: 'hold' }
  | { kind: 'forward'; chunks: Uint8Array[] }
  | { kind: 'commit'; chunks: Uint8Array[] }
  | { kind: 'error'; chunks: Uint8Array[]; event: EventError };

/** Reads the error an event carries: its `event:` name (null without one) and its data. */
export type EventErrorReader = (event: string | null, data: string) => EventError | null;

export class SseGate {
  private readonly decoder = new TextDecoder();
  private text = '';
  private held: Uint8Array[] = [];
  /** Data events without content were held (only with `hasContent`). */
  sawData = false;

  constructor(
    private readonly readError: EventErrorReader = openAiFamily.eventError,
    private readonly hasContent: ((event: string | null, data: string) => boolean) | null = null,
  ) {}

  feed(chunk: Uint8Array): GateVerdict {
    this.held.push(chunk);
    this.text += this.decoder.decode(chunk, { stream: true });
    for (;;) {
      const end = eventEnd(this.text);
      if (end < 0) return { kind: 'hold' };
      const event = this.text.slice(0, end);
      this.text = this.text.slice(end + (this.text.startsWith('\r\n\r\n', end) ? 4 : 2));
      const data = dataOf(event);
      if (data === null) {
        if (this.text === '' && !this.sawData) return { kind: 'forward', chunks: this.take() };
        continue;
      }
      const name = eventName(event);
      const error = this.readError(name, data);
      if (error) return { kind: 'error', chunks: this.take(), event: error };
      if (this.hasContent && !this.hasContent(name, data)) {
        this.sawData = true;
        continue;
      }
      return { kind: 'commit', chunks: this.take() };
    }
  }

  /** The chunks still held (at the end of the stream). */
  take(): Uint8Array[] {
    const held = this.held;
    this.held = [];
    return held;
  }
}

function eventEnd(text: string): number {
  const lf = text.indexOf('\n\n');
  const crlf = text.indexOf('\r\n\r\n');
  if (lf < 0) return crlf;
  if (crlf < 0) return lf;
  return Math.min(lf, crlf);
}

/** The data of an event, or null for a comment-only event. */
function dataOf(event: string): string | null {
  const lines = event.split(/\r?\n/).filter((line) => line.startsWith('data:'));
  return lines.length ? lines.map((line) => line.slice(5).trimStart()).join('\n') : null;
}

/** The `event:` name of an event, or null. */
function eventName(event: string): string | null {
  let at = 0;
  if (!event.startsWith('event:')) {
    at = event.indexOf('\nevent:') + 1;
    if (at === 0) return null;
  }
  const end = event.indexOf('\n', at);
  return event.slice(at + 6, end < 0 ? undefined : end).trim();
}
