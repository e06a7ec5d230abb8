/** The `cloudrouter` command (bin/cloudrouter.js, the package's `bin`): flags, and a build when dist is missing. */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseEnv, builtMain } from '../node/node-process';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'cloudrouter.js');
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloudrouter-bin-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('bin/cloudrouter.js', () => {
  it('prints the usage on --help', () => {
    builtMain();
    const out = execFileSync(process.execPath, [BIN, '--help'], { cwd: tempDir(), encoding: 'utf8' });
    expect(out).toMatch(/^Usage: cloudrouter/);
    expect(out).toContain('--data-dir');
  }, 120_000);

  it('listens on --port and keeps its database in --data-dir, from any working directory', async () => {
    builtMain();
    const data = join(tempDir(), 'state');
    const child = spawn(process.execPath, [BIN, '--port', '0', '--data-dir', data], {
      cwd: tempDir(),
      env: baseEnv({ AUTH_KEY: 'bin-admin-test-key-0123', OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const match = out.match(/listening on (http:\/\/\S+)/);
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`exited: ${out}`)));
    });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(existsSync(join(data, 'cloudrouter.db'))).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);

  it('builds dist/node/main.js first when it is missing', () => {
    // A copy of the launcher beside a stand-in build script, so the real dist is left alone.
    const root = tempDir();
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'scripts'));
    copyFileSync(BIN, join(root, 'bin', 'cloudrouter.js'));
    writeFileSync(join(root, 'package.json'), '{"type": "module"}');
    writeFileSync(
      join(root, 'scripts', 'build.mjs'),
      "import { mkdirSync, writeFileSync } from 'node:fs';\n" +
        "mkdirSync('dist/node', { recursive: true });\n" +
        "writeFileSync('dist/node/main.js', 'console.log(\"built and run with \" + process.argv.slice(2));');\n",
    );
    const result = execFileSync(process.execPath, [join(root, 'bin', 'cloudrouter.js'), '--help'], {
      cwd: tempDir(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(result).toBe('built and run with --help\n');
    expect(existsSync(join(root, 'dist', 'node', 'main.js'))).toBe(true);
  });
});
