import type { Logger } from '../../deps';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

/** One JSON object per line on stdout (stderr for warnings and errors). */
export function jsonLogger(level: keyof typeof LEVELS): Logger {
  const min = LEVELS[level];
  return {
    log(at, message, fields) {
      if (LEVELS[at] < min) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level: at, msg: message, ...fields });
      (LEVELS[at] >= LEVELS.warn ? process.stderr : process.stdout).write(`${line}\n`);
    },
  };
}
