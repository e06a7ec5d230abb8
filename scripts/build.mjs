// Builds what Node runs: dist/node/main.js from src/runtime/node/main.ts (esbuild, about a second).
// `--ui-only` builds only the admin UI's assets (wrangler runs it before `dev` and `deploy`).
import { build } from 'esbuild';
import { buildUi } from './build-ui.mjs';

const uiOnly = process.argv.includes('--ui-only');
await buildUi();
if (!uiOnly) {
  await build({
    entryPoints: ['src/runtime/node/main.ts'],
    outfile: 'dist/node/main.js',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}
