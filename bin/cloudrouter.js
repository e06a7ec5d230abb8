#!/usr/bin/env node
// The `cloudrouter` command: runs the Node server built at dist/node/main.js (see --help).
// `npm install` builds it (the `prepare` script); if it is missing, it is built here first,
// which needs the dev dependencies (esbuild).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist/node/main.js');

if (!existsSync(main)) {
  process.stderr.write('cloudrouter: dist/node/main.js is missing; building it first (npm run build)\n');
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(main)) {
    process.stderr.write(`cloudrouter: the build failed; run \`npm install\` in ${root}, then try again\n`);
    process.exit(1);
  }
}
await import(pathToFileURL(main).href);
