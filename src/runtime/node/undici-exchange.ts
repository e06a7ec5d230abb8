import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import {
  AnswerTooLarge,
  type ClientSignal,
  DROPPED_UPSTREAM_HEADERS,
  isRedirect,
  redirectFailure,
  UpstreamFailure,
  type UpstreamReply,
} from '../../deps';
import { networkErrorText } from '../../lib/network-error';
import { errors, headerName } from './undici-parts';

/** Body bytes held for a reader that has not caught up; past this, undici stops reading the socket. */
const HIGH_WATER = 64 * 1024;

type Mode = 'idle' | 'bytes' | 'chunks' | 'cancelled';

/**
 * One request as undici's own dispatch handler, and its answer as an {@link UpstreamReply}.
 * No Node `Readable` and no `AbortSignal`: chunks are queued here and the request is
 * aborted through the function undici hands to `onConnect`.
 */
export class UndiciExchange implements Dispatcher.DispatchHandler, UpstreamReply {
  status = 0;
  readonly headers: Record<string, string> = {};
  private abortRequest: ((reason: Error) => void) | null = null;
  private resumeSocket: (() => void) | null = null;
  private stopListening: (() => void) | null = null;
  private answered = false;
  private gone = false;
  private mode: Mode = 'idle';
  private queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private failure: Error | null = null;
  /** Wakes whoever waits on the body: `chunks()` at each chunk, `bytes()` at the end. */
  private wake: (() => void) | null = null;
  private decoder: Transform | null = null;

  constructor(
    private readonly resolve: (reply: UpstreamReply) => void,
    private readonly reject: (failure: UpstreamFailure) => void,
    private readonly headersTimeoutMs: number,
    signal: ClientSignal | undefined,
    private readonly maxBytes = 0,
  ) {
    if (signal) this.stopListening = signal.onAbort(() => this.clientGone());
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abortRequest = abort;
    if (this.gone) abort(new UpstreamFailure('aborted', 'client went away'));
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void): boolean {
    if (status < 200) return true;
    if (isRedirect(status)) {
      // Never followed: the next hop would get the pool key. A failure like a dead connection.
      this.answered = true;
      this.stopListening?.();
      const failure = redirectFailure(status);
      this.abortRequest?.(failure);
      this.reject(failure);
      return false;
    }
    this.status = status;
    this.resumeSocket = resume;
    let encoding = '';
    for (let i = 0; i < raw.length; i += 2) {
      const name = headerName(raw[i]);
      if (DROPPED_UPSTREAM_HEADERS.has(name)) {
        if (name === 'content-encoding') encoding = raw[i + 1].toString('latin1').trim().toLowerCase();
        continue;
      }
      const value = raw[i + 1].toString('latin1');
      const had = this.headers[name];
      this.headers[name] = had === undefined ? value : `${had}, ${value}`;
    }
    if (encoding && encoding !== 'identity') this.decoder = this.decoderFor(encoding);
    this.answered = true;
    this.resolve(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.mode === 'cancelled') return true;
    if (this.decoder) return this.decoder.write(chunk) || this.waitForDecoder();
    return this.push(chunk);
  }

  onComplete(): void {
    this.stopListening?.();
    if (this.decoder) this.decoder.end();
    else this.finish(null);
  }

  onError(err: Error): void {
    this.stopListening?.();
    if (!this.answered) {
      this.answered = true;
      this.reject(this.failureOf(err));
      return;
    }
    this.decoder?.destroy();
    this.finish(this.gone ? new Error('client went away') : err);
  }

  bytes(): Promise<Buffer> {
    this.mode = 'bytes';
    if (this.maxBytes > 0 && this.queued > this.maxBytes) this.tooLarge();
    this.resumeSocket?.();
    return new Promise((resolve, reject) => {
      const settle = () => {
        if (this.failure) reject(this.failure);
        else resolve(this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue, this.queued));
        this.queue = [];
      };
      if (this.ended) settle();
      else this.wake = settle;
    });
  }

  async *chunks(): AsyncIterable<Uint8Array> {
    this.mode = 'chunks';
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk) {
        this.queued -= chunk.length;
        if (this.queued < HIGH_WATER) this.resumeSocket?.();
        yield chunk;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  cancel(): void {
    if (this.mode === 'cancelled') return;
    this.mode = 'cancelled';
    this.queue = [];
    this.decoder?.destroy();
    if (!this.ended) this.abortRequest?.(new Error('body cancelled'));
  }

  private push(chunk: Buffer): boolean {
    if (this.mode === 'cancelled') return true;
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.mode === 'bytes') {
      if (this.maxBytes > 0 && this.queued > this.maxBytes) this.tooLarge();
      return true;
    }
    this.callWake();
    return this.queued < HIGH_WATER;
  }

  /** A whole-body read passed the cap: nothing more is kept, the request is aborted. */
  private tooLarge(): void {
    const failure = new AnswerTooLarge(this.maxBytes);
    this.mode = 'cancelled';
    this.queue = [];
    this.queued = 0;
    this.decoder?.destroy();
    this.finish(failure);
    this.abortRequest?.(failure);
  }

  private finish(failure: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.callWake();
  }

  private callWake(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private clientGone(): void {
    this.gone = true;
    this.stopListening = null;
    if (!this.answered) {
      this.answered = true;
      this.reject(new UpstreamFailure('aborted', 'client went away'));
    }
    this.abortRequest?.(new UpstreamFailure('aborted', 'client went away'));
  }

  private failureOf(err: Error): UpstreamFailure {
    if (this.gone) return new UpstreamFailure('aborted', 'client went away');
    if (err instanceof errors.HeadersTimeoutError) {
      return new UpstreamFailure('timeout', `no response headers within ${this.headersTimeoutMs} ms`);
    }
    return new UpstreamFailure('network', networkErrorText(err));
  }

  /** A compressed body goes through zlib; what comes out is queued as if it had come in so. */
  private decoderFor(encoding: string): Transform | null {
    const decoder =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? createGunzip()
        : encoding === 'deflate'
          ? createInflate()
          : encoding === 'br'
            ? createBrotliDecompress()
            : null;
    if (!decoder) return null;
    decoder.on('data', (out: Buffer) => {
      if (this.mode !== 'cancelled' && !this.push(out)) decoder.pause();
    });
    decoder.once('end', () => this.finish(null));
    decoder.once('error', (err) => {
      this.abortRequest?.(err);
      this.finish(err);
    });
    const resume = this.resumeSocket;
    // Reading again: let the decoder flow, which lets undici read the socket again.
    this.resumeSocket = () => {
      decoder.resume();
      resume?.();
    };
    return decoder;
  }

  private waitForDecoder(): boolean {
    this.decoder?.once('drain', () => this.resumeSocket?.());
    return false;
  }
}
