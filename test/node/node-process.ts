/**
 * Runs the built CloudRouter (`node dist/node/main.js`, what `npm start` runs)
 * as a real process: builds it first when the build is missing or older than
 * the sources, then collects its output and waits for lines and for its exit.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'node', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated') newest = Math.max(newest, newestSource(path));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** The path of the built entry, rebuilt (`node scripts/build.mjs`) when stale; `CLOUDROUTER_MAIN` overrides. */
export function builtMain(): string {
  const override = process.env.CLOUDROUTER_MAIN;
  if (override) return override;
  const stale = !existsSync(MAIN) || statSync(MAIN).mtimeMs < newestSource(join(ROOT, 'src'));
  if (stale)
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  return MAIN;
}

/** A running CloudRouter process. */
export interface NodeProcess {
  child: ChildProcess;
  /** Everything it wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A minimal environment: nothing of the test runner's own settings leaks in. */
export function baseEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...extra };
}

/** Starts `node dist/node/main.js args...` with exactly `env`. */
export function startProcess(env: Record<string, string>, args: string[] = []): NodeProcess {
  const child = spawn(process.execPath, [builtMain(), ...args], { cwd: ROOT, env, stdio: 'pipe' });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const wake of waiters) wake();
      // Let the pipes drain before answering.
      setTimeout(() => resolve({ code, signal }), 50);
    });
  });
  let done = false;
  exited.then(() => {
    done = true;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStdout(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match) {
            finish();
            resolve(match);
          } else if (done || child.exitCode !== null) {
            finish();
            reject(new Error(`exited before ${pattern}; stdout: ${out}; stderr: ${err}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout: ${out}; stderr: ${err}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Starts CloudRouter and waits for its start-up lines; answers the process and its URL. */
export async function startCloudRouter(
  env: Record<string, string>,
): Promise<{ proc: NodeProcess; url: string }> {
  const proc = startProcess(env);
  // The start-up block is one write: the URL line, then the proxy, UI and (maybe) admin-key lines.
  const match = await proc.waitForStdout(
    /listening on (http:\/\/[^\s]+)\n(?:.*\n)*?\s+admin UI:.*\n(?:\s+admin key:.*\n)?/,
  );
  return { proc, url: match[1] };
}

/** Sends `signal` and waits for the exit (killing it outright if it takes longer than `timeoutMs`). */
export async function stopProcess(
  proc: NodeProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (proc.child.exitCode === null) proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  const result = await proc.exited;
  clearTimeout(timer);
  return result;
}
