import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETTINGS } from '../src/config/settings-table';
import { type Child, startChild, stopChild } from './children';

/** The built Node proxy running as a child, set up for the benchmark. */
export interface BenchProxy {
  child: Child;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  clientKey: string;
  poolSize: number;
  /** How long importing the pool through the admin API took, ms. */
  importMs: number;
  /** Stops the process and removes its DATA_DIR. */
  cleanup(): void;
}

/** Made-up upstream keys (the mock takes any bearer key). */
export function fakeKeys(count: number, tag: string): string[] {
  return Array.from({ length: count }, (_, i) => `sk-or-v1-bench${tag}${String(i).padStart(6, '0')}`);
}

async function admin(origin: string, authKey: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${origin}/admin/api${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${authKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /admin/api${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * Starts `node dist/node/main.js` on a free port with a fresh DATA_DIR, pointed at the mock,
 * creates a client key and a pool of `poolSize` upstream keys through the admin API (one call),
 * then restarts the process, so it serves as a server does that loaded its keys from its
 * database. Without the restart the two pools would start from different histories: a process
 * that has just taken a 10,000-key import ran 8% to 14% slower in paired runs, and one restarted
 * after it as fast as the 10-key pool (V8's optimized code is shaped by what a process has run).
 * Settings inherited from the environment are dropped so every run starts from the defaults.
 * `nodeArgs` go before the script (e.g. `--cpu-prof`); `main` is the built entry to run.
 */
export async function startProxy(
  mockUrl: string,
  poolSize: number,
  nodeArgs: string[] = [],
  main = 'dist/node/main.js',
): Promise<BenchProxy> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloudrouter-bench-'));
  const authKey = `bench-admin-${randomBytes(12).toString('hex')}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const setting of SETTINGS) delete env[setting.name];
  Object.assign(env, {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    AUTH_KEY: authKey,
    OPENROUTER_BASE_URL: mockUrl,
  });
  const start = () => startChild([...nodeArgs, main], /CloudRouter is listening on (\S+)/, env);
  let child = await start();
  const cleanup = () => {
    if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const created = (await admin(child.value, authKey, '/client-keys', { name: 'bench' })) as { key: string };
    const startedAt = performance.now();
    const imported = (await admin(child.value, authKey, '/keys', {
      keys: fakeKeys(poolSize, randomBytes(4).toString('hex')),
      label: 'bench',
    })) as { added: unknown[] };
    const importMs = performance.now() - startedAt;
    if (imported.added.length !== poolSize) {
      throw new Error(`imported ${imported.added.length} keys, expected ${poolSize}`);
    }
    await stopChild(child);
    child = await start();
    return { child, origin: child.value, clientKey: created.key, poolSize, importMs, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
