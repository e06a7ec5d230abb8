// Makes docs/screenshots/*.png: runs the browser tests against the Node server with UI_SCREENSHOTS
// set, so they save what they see (login, dashboard, keys, client keys, model map, Chinese, dark, phone).
// Needs /usr/bin/chromium and a CJK font for the Chinese pictures (Debian: apt-get install -y chromium
// fonts-noto-cjk). Usage: node scripts/screenshots.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs/screenshots');
if (!existsSync('/usr/bin/chromium')) {
  console.error('screenshots: /usr/bin/chromium is missing (apt-get install -y chromium)');
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const run = spawnSync('npx', ['vitest', 'run', '--project', 'e2e', 'test/e2e/node-ui.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, UI_SCREENSHOTS: out },
});
if (run.status !== 0) process.exit(run.status ?? 1);
for (const file of readdirSync(out).sort()) console.log(`docs/screenshots/${file}`);
