/** The check `.ci/run` makes on the Worker bundle (scripts/check-worker-bundle.mjs), on made-up metafiles. */
import { describe, expect, it } from 'vitest';
import { type BundleMeta, bundleProblems } from '../../scripts/check-worker-bundle.mjs';

function meta(
  inputs: string[],
  imports: Array<{ path: string; kind?: string; external?: boolean }>,
): BundleMeta {
  return {
    inputs: Object.fromEntries(inputs.map((i) => [i, {}])),
    outputs: {
      'out/index.js': { imports: imports.map((i) => ({ kind: 'import-statement', external: true, ...i })) },
      'out/index.js.map': { imports: [] },
    },
  };
}

describe('bundleProblems', () => {
  it('passes a bundle of hono and the app that imports only cloudflare: modules', () => {
    const clean = meta(
      ['../../node_modules/hono/dist/hono.js', 'src/app.ts', 'src/runtime/workers/index.ts'],
      [{ path: 'cloudflare:workers' }],
    );
    expect(bundleProblems(clean)).toEqual([]);
  });

  it('fails on node: imports that wrangler leaves external, required or imported', () => {
    const problems = bundleProblems(
      meta(['src/app.ts'], [{ path: 'node:buffer' }, { path: 'node:fs', kind: 'require-call' }]),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('node:buffer, node:fs');
  });

  it('fails on Node-only packages and src/runtime/node bundled in, naming each once', () => {
    const problems = bundleProblems(
      meta(
        [
          '../../node_modules/undici/index.js',
          '../../node_modules/undici/lib/dispatcher.js',
          '../../node_modules/better-sqlite3/lib/index.js',
          '../../node_modules/@hono/node-server/dist/index.mjs',
          'src/runtime/node/sqlite-store.ts',
        ],
        [],
      ),
    );
    expect(problems).toEqual([
      'the bundle contains undici (2 files), which is Node-only',
      'the bundle contains better-sqlite3 (1 files), which is Node-only',
      'the bundle contains @hono/node-server (1 files), which is Node-only',
      'the bundle contains src/runtime/node (1 files), which is Node-only',
    ]);
  });
});
