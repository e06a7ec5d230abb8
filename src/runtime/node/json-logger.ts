import type { Logger } from '../../deps';
import { LineBuffer } from './line-buffer';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

/** `{"time", "level", "msg", ...fields}` from the fields serialized as a JSON object. */
function jsonLine(level: string, message: string, fields: string, ownTime: boolean): string {
  const time = ownTime ? '' : `"time":"${new Date().toISOString()}",`;
  const head = `{${time}"level":"${level}","msg":${JSON.stringify(message)}`;
  return fields.length > 2 ? `${head},${fields.slice(1)}\n` : `${head}}\n`;
}

/**
 * One JSON object per line: info and debug on stdout, warnings and errors on
 * stderr. Lines are joined and written once per turn of the event loop, so a
 * busy proxy makes one write call per batch, not one per request.
 */
export function jsonLogger(level: keyof typeof LEVELS): Logger {
  const min = LEVELS[level];
  const out = new LineBuffer();
  const err = new LineBuffer();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const outBytes = out.take();
    if (outBytes) process.stdout.write(outBytes);
    const errBytes = err.take();
    if (errBytes) process.stderr.write(errBytes);
  };
  process.once('exit', flush);
  const add = (at: keyof typeof LEVELS, line: string) => {
    (LEVELS[at] >= LEVELS.warn ? err : out).add(line);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return {
    log(at, message, fields) {
      if (LEVELS[at] < min) return;
      const ownTime = typeof fields?.time === 'string';
      add(at, jsonLine(at, message, fields ? JSON.stringify(fields) : '{}', ownTime));
    },
    logSerialized(at, message, fields) {
      if (LEVELS[at] >= min) add(at, jsonLine(at, message, fields, fields.startsWith('{"time":"')));
    },
  };
}
