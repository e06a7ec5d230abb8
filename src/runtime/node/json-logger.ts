import type { Logger } from '../../deps';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

/**
 * One JSON object per line: info and debug on stdout, warnings and errors on
 * stderr. Lines are joined and written once per turn of the event loop, so a
 * busy proxy makes one write call per batch, not one per request.
 */
export function jsonLogger(level: keyof typeof LEVELS): Logger {
  const min = LEVELS[level];
  const pending = { out: '', err: '' };
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.out) process.stdout.write(pending.out);
    if (pending.err) process.stderr.write(pending.err);
    pending.out = '';
    pending.err = '';
  };
  process.once('exit', flush);
  return {
    log(at, message, fields) {
      if (LEVELS[at] < min) return;
      const line = `${JSON.stringify({ time: new Date().toISOString(), level: at, msg: message, ...fields })}\n`;
      if (LEVELS[at] >= LEVELS.warn) pending.err += line;
      else pending.out += line;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
}
