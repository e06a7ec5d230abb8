import type { Logger } from '../../deps';
import { LineBuffer } from './line-buffer';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

/** `{"time", "level", "msg", ...fields}` from the fields serialized as a JSON object. */
function jsonLine(level: string, message: string, fields: string, ownTime: boolean): string {
  const time = ownTime ? '' : `"time":"${new Date().toISOString()}",`;
  const head = `{${time}"level":"${level}","msg":${JSON.stringify(message)}`;
  return fields.length > 2 ? `${head},${fields.slice(1)}\n` : `${head}}\n`;
}

/** Most time an info line waits in the buffer before it is written. */
export const INFO_FLUSH_MS = 100;
/** Info lines buffered past this are written on the next turn of the event loop. */
const INFO_FLUSH_BYTES = 64 * 1024;

/**
 * One JSON object per line: info and debug on stdout, warnings and errors on
 * stderr. Warnings and errors are written on the next turn of the event loop;
 * info lines (one per request) wait up to {@link INFO_FLUSH_MS} or 64 KB, so a
 * busy proxy makes one write call per batch of requests, not one per turn
 * (each is a system call, and under load a turn serves a handful of requests).
 * What is buffered is written when the process exits.
 */
export function jsonLogger(level: keyof typeof LEVELS): Logger {
  const min = LEVELS[level];
  const out = new LineBuffer();
  const err = new LineBuffer();
  let soon = false;
  let later: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    soon = false;
    if (later) {
      clearTimeout(later);
      later = null;
    }
    const outBytes = out.take();
    if (outBytes) process.stdout.write(outBytes);
    const errBytes = err.take();
    if (errBytes) process.stderr.write(errBytes);
  };
  process.once('exit', flush);
  /** Buffers a line; `bare`: it has no newline yet. */
  const add = (at: keyof typeof LEVELS, line: string, bare = false) => {
    if (LEVELS[at] >= LEVELS.warn) err.add(line, bare);
    else {
      out.add(line, bare);
      if (out.size < INFO_FLUSH_BYTES) {
        if (!later && !soon) {
          later = setTimeout(flush, INFO_FLUSH_MS);
          later.unref();
        }
        return;
      }
    }
    if (!soon) {
      soon = true;
      setImmediate(flush);
    }
  };
  return {
    log(at, message, fields) {
      if (LEVELS[at] < min) return;
      const ownTime = typeof fields?.time === 'string';
      add(at, jsonLine(at, message, fields ? JSON.stringify(fields) : '{}', ownTime));
    },
    logLine(at, line) {
      if (LEVELS[at] >= min) add(at, line, true);
    },
  };
}
