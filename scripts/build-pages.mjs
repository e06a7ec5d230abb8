// Builds CloudRouter for Cloudflare Pages (advanced mode): dist/pages/_worker.js, one ES module
// holding the same app as the Worker, the admin UI included, from src/runtime/workers/pages.ts.
// KV is bound as ROUTER_KV in the Pages project (dashboard), or with `--kv ROUTER_KV` for
// `wrangler pages dev dist/pages`. See docs/deployment.md.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildUi } from './build-ui.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/pages');

await buildUi();
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'src/runtime/workers/pages.ts')],
  outfile: join(outdir, '_worker.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // The conditions wrangler bundles Workers with.
  conditions: ['workerd', 'worker', 'browser'],
  target: 'es2022',
  external: ['cloudflare:*'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
const external = Object.values(result.metafile.outputs).flatMap((o) =>
  o.imports.filter((i) => i.external && !i.path.startsWith('cloudflare:')).map((i) => i.path),
);
if (external.length) throw new Error(`_worker.js imports ${external.join(', ')}, which Pages does not have`);
// Every path goes to _worker.js (the app serves the UI itself); nothing is a static file.
writeFileSync(
  join(outdir, '_routes.json'),
  `${JSON.stringify({ version: 1, include: ['/*'], exclude: [] })}\n`,
);
const file = join(outdir, '_worker.js');
const gzip = gzipSync(readFileSync(file)).length;
console.log(`dist/pages/_worker.js: ${statSync(file).size} bytes, ${gzip} gzipped`);
