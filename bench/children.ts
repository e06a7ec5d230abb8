import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A child process the benchmark started, with the value it announced on stdout. */
export interface Child {
  proc: ChildProcess;
  /** The first capture group of the announcing line (a URL). */
  value: string;
  /** The last lines the child wrote on stderr, for error messages. */
  stderrTail(): string;
}

/**
 * Spawns `node ...args`, waits for a stdout line matching `announce` (its first group is the value)
 * and keeps draining stdout afterwards, so a chatty child never blocks on a full pipe.
 */
export function startChild(
  args: string[],
  announce: RegExp,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 30_000,
): Promise<Child> {
  const proc = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4000);
  });
  const stderrTail = () => stderr.trim();
  return new Promise((resolve, reject) => {
    let buffered = '';
    let found = false;
    const fail = (why: string) => {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: ${why}\n${stderrTail()}`));
    };
    const timer = setTimeout(() => fail(`no ${announce} line within ${timeoutMs} ms`), timeoutMs);
    proc.once('exit', (code) => {
      if (!found) fail(`exited with ${code} before announcing itself`);
    });
    proc.stdout?.setEncoding('utf8').on('data', (text: string) => {
      if (found) return;
      buffered += text;
      const match = announce.exec(buffered);
      if (!match) return;
      found = true;
      buffered = '';
      clearTimeout(timer);
      resolve({ proc, value: match[1], stderrTail });
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
export function stopChild(child: Child | undefined, graceMs = 5000): Promise<void> {
  const proc = child?.proc;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/** Peak resident memory of a child in MiB: VmHWM on Linux, else the largest RSS `ps` showed (sampled each 500 ms). */
export function trackPeakRss(pid: number | undefined): { read(): number | null; stop(): void } {
  let sampled: number | null = null;
  const hwm = () => {
    try {
      const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return kb ? Number(kb) / 1024 : null;
    } catch {
      return null;
    }
  };
  const sample = () => {
    try {
      const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
      if (kb > 0) sampled = Math.max(sampled ?? 0, kb / 1024);
    } catch {
      // The process is gone or there is no ps: keep what was seen.
    }
  };
  const useProc = pid !== undefined && hwm() !== null;
  const timer = pid === undefined || useProc ? undefined : setInterval(sample, 500);
  timer?.unref();
  return {
    read() {
      if (useProc) return hwm();
      sample();
      return sampled;
    },
    stop: () => clearInterval(timer),
  };
}

/** CPU time (user + system) a process has used so far, in ms; null where there is no /proc. */
export function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the command (which may hold spaces) end with ')': utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ) on every common platform. */
const CLOCK_TICKS = 100;
