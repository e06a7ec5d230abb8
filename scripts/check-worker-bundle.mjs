// Proves that the Worker builds for Cloudflare and stays a Worker: runs
// `wrangler deploy --dry-run` offline (which also builds the admin UI, see wrangler.jsonc),
// fails if the bundle imports anything outside the Workers runtime (a `node:` module,
// better-sqlite3, undici, @hono/node-server, src/runtime/node), prints its size raw and
// gzipped, and fails above FAIL_GZIP_BYTES. `.ci/run` runs it; so can you:
// `node scripts/check-worker-bundle.mjs`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The size the bundle should stay under, gzipped, UI included. */
export const GOAL_GZIP_BYTES = 150 * 1024;
/** Above this the check fails. */
export const FAIL_GZIP_BYTES = 300 * 1024;

/** Packages and folders that only work on Node; none may reach the Worker bundle. */
const NODE_ONLY = [
  /(^|\/)node_modules\/(better-sqlite3|undici|@hono\/node-server|bindings)\//,
  /(^|\/)(src\/runtime\/node)\//,
];

/**
 * What is wrong with a bundle, from esbuild's metafile (`wrangler deploy --metafile`):
 * imports left external (the Workers runtime answers only `cloudflare:` ones without
 * nodejs_compat, which this Worker does not enable) and Node-only sources bundled in.
 */
export function bundleProblems(meta) {
  const problems = [];
  const external = new Set();
  for (const [file, output] of Object.entries(meta.outputs ?? {})) {
    if (file.endsWith('.map')) continue;
    for (const imported of output.imports ?? []) {
      if (imported.external && !imported.path.startsWith('cloudflare:')) external.add(imported.path);
    }
  }
  if (external.size) {
    problems.push(`the bundle imports ${[...external].join(', ')}, which the Workers runtime does not have`);
  }
  const nodeOnly = new Map();
  for (const input of Object.keys(meta.inputs ?? {})) {
    const match = NODE_ONLY.map((pattern) => input.match(pattern)).find(Boolean);
    if (match)
      nodeOnly.set(match[2] ?? 'src/runtime/node', (nodeOnly.get(match[2] ?? 'src/runtime/node') ?? 0) + 1);
  }
  for (const [what, files] of nodeOnly)
    problems.push(`the bundle contains ${what} (${files} files), which is Node-only`);
  return problems;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const outdir = mkdtempSync(join(tmpdir(), 'cloudrouter-bundle-'));
  try {
    const run = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir, '--metafile'], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        NO_COLOR: '1',
      },
    });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    if (run.status !== 0) {
      process.stderr.write(output);
      throw new Error(`wrangler deploy --dry-run failed (exit ${run.status})`);
    }
    const meta = JSON.parse(readFileSync(join(outdir, 'bundle-meta.json'), 'utf8'));
    const problems = bundleProblems(meta);
    const bundle = readFileSync(join(outdir, 'index.js'));
    const gzip = gzipSync(bundle, { level: 9 }).length;
    const wranglerLine = output.split('\n').find((line) => line.includes('Total Upload'));
    console.log(
      `Worker bundle (src/runtime/workers/index.ts, admin UI included): ${bundle.length} bytes (${kib(bundle.length)}), ${gzip} bytes gzipped (${kib(gzip)})`,
    );
    if (wranglerLine) console.log(`wrangler: ${wranglerLine.trim()}`);
    if (gzip > FAIL_GZIP_BYTES)
      problems.push(`the bundle is ${kib(gzip)} gzipped, above the limit of ${kib(FAIL_GZIP_BYTES)}`);
    else if (gzip > GOAL_GZIP_BYTES)
      console.log(`warning: above the goal of ${kib(GOAL_GZIP_BYTES)} gzipped`);
    if (problems.length) {
      for (const problem of problems) console.error(`✘ ${problem}`);
      process.exit(1);
    }
    console.log('✔ no Node-only module in the Worker bundle');
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
