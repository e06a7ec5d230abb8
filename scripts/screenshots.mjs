// Makes docs/screenshots/*.png from a demo (scripts/screenshots.ts): a Node server and the mock
// OpenRouter filled with realistic keys, clients, aliases and a day of traffic, photographed by
// Chromium in English and Chinese. Needs /usr/bin/chromium and a CJK font for the Chinese pictures
// (Debian: apt-get install -y chromium fonts-wqy-microhei). Usage: node scripts/screenshots.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs/screenshots');
if (!existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium')) {
  console.error('screenshots: /usr/bin/chromium is missing (apt-get install -y chromium)');
  process.exit(1);
}
// The UI the server serves is the built one.
const build = spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// Pictures of an earlier run go: only the demo's remain.
for (const file of existsSync(out) ? readdirSync(out) : [])
  if (file.endsWith('.png')) rmSync(join(out, file));
mkdirSync(out, { recursive: true });
const run = spawnSync('node', ['--import', 'tsx', 'scripts/screenshots.ts', out], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
