/**
 * Wrangler as the tests run it: offline, on a free port, its state in a fresh
 * folder, as a child process group (workerd outlives wrangler unless the group
 * is ended); and the compatibility settings of wrangler.jsonc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** A running `wrangler dev` or `wrangler pages dev`. */
export interface WranglerDev {
  url: string;
  /** What it printed, for the failure message. */
  output(): string;
  /** Ends the whole process group (wrangler and workerd) and removes its state. */
  stop(): Promise<void>;
}

/** The compatibility date and flags of wrangler.jsonc (its comments stripped). */
export function wranglerCompatibility(): { date: string; flags: string[] } {
  const text = readFileSync(join(ROOT, 'wrangler.jsonc'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const config = JSON.parse(text) as { compatibility_date: string; compatibility_flags?: string[] };
  return { date: config.compatibility_date, flags: config.compatibility_flags ?? [] };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Runs `npx wrangler <command>` with `--port`, `--ip 127.0.0.1` and
 * `--persist-to` added; resolves once `/health` answers 200.
 */
export async function startWrangler(command: string[], timeoutMs = 150_000): Promise<WranglerDev> {
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), 'cloudrouter-wrangler-'));
  const args = ['wrangler', ...command, '--port', String(port), '--ip', '127.0.0.1', '--persist-to', state];
  const child = spawn('npx', args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      NO_COLOR: '1',
    },
  });
  let log = '';
  child.stdout?.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    log += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    killGroup(child, 'SIGKILL'); // workerd may outlive wrangler
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return { url, output: () => log, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(`wrangler ${command.join(' ')} did not become ready:\n${log.slice(-3000)}`);
}

/** `wrangler dev` (wrangler.jsonc, local KV) with these vars. */
export function startWranglerDev(vars: Record<string, string>, timeoutMs?: number): Promise<WranglerDev> {
  const command = ['dev'];
  for (const [name, value] of Object.entries(vars)) command.push('--var', `${name}:${value}`);
  return startWrangler(command, timeoutMs);
}
