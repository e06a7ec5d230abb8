import { Hono } from 'hono';
import type { Services } from '../services';
import { assets, entry } from './generated/assets';
import { sessionRoutes } from './session-routes';
import { shellHtml, UI_SECURITY_HEADERS } from './shell';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The admin UI, served by the app itself on both runtimes: the page at `GET /`,
 * the content-hashed assets under `/ui/` (cached for a year), the session routes.
 */
export function uiRoutes(services: Services): Hono {
  const app = new Hono();
  const html = shellHtml(entry);
  const gzipped = new Map<string, Promise<ArrayBuffer>>();
  // Workers compress on their own; on Node the assets are gzipped once, in memory.
  const gzipHere = services.deps.runtime === 'node' && typeof CompressionStream === 'function';

  app.route('/ui', sessionRoutes(services));
  app.get('/', (c) => c.html(html, 200, { ...UI_SECURITY_HEADERS, 'cache-control': 'no-cache' }));

  app.get('/ui/:file', async (c) => {
    const name = c.req.param('file');
    const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
    if (!asset) return c.text('Not found', 404, { 'cache-control': 'no-store' });
    const headers: Record<string, string> = {
      ...UI_SECURITY_HEADERS,
      'content-type': asset.type,
      'cache-control': IMMUTABLE,
      vary: 'accept-encoding',
    };
    if (gzipHere && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      let body = gzipped.get(name);
      if (!body) {
        body = new Response(
          new Blob([asset.body]).stream().pipeThrough(new CompressionStream('gzip')),
        ).arrayBuffer();
        gzipped.set(name, body);
      }
      return c.body(await body, 200, { ...headers, 'content-encoding': 'gzip' });
    }
    return c.body(asset.body, 200, headers);
  });

  return app;
}
