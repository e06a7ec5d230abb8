/**
 * docs/api.md names every route the app registers: the routes are read from
 * the running app itself (Hono's route table), so a new route without docs fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { type RunningServer, startServer } from '../../src/runtime/node/server';
import { metricsRoute } from '../../src/stats/metrics-route';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'api.md'), 'utf8');

let server: RunningServer;

beforeAll(async () => {
  const config = parseConfig({
    PORT: '0',
    AUTH_KEY: 'api-routes-admin-key',
    OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1',
  });
  server = await startServer(config, { databaseFile: ':memory:' });
});

afterAll(async () => {
  await server?.close(0);
});

/** `METHOD /path` of every handler (middleware excluded), `:param` written `{param}` as the docs do. */
function registeredRoutes(): string[] {
  const routes = [...server.router.app.routes, ...metricsRoute(server.router.services).routes];
  const names = routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    // The proxy answers under /api/v1 too; the docs say so once.
    .filter((name) => !name.includes(' /api/v1/'));
  // And at the root: a route that is also registered under /v1 is that one again (the preflight
  // of any root route is the one of `OPTIONS /v1/*`).
  const all = new Set(names);
  return [...all].filter((name) => {
    const [method, path] = name.split(' ');
    if (path.startsWith('/v1/')) return true;
    return !all.has(`${method} /v1${path}`) && !(method === 'OPTIONS' && all.has('OPTIONS /v1/*'));
  });
}

describe('docs/api.md', () => {
  it('finds the routes to check', () => {
    expect(registeredRoutes()).toContain('POST /v1/chat/completions');
    expect(registeredRoutes()).toContain('PATCH /admin/api/keys/{id}');
  });

  it('names every registered route in code', () => {
    const missing = registeredRoutes().filter((route) => !DOC.includes(`\`${route}\``));
    expect(missing).toEqual([]);
  });

  it('says the proxy answers under /api/v1 and at the root too', () => {
    expect(DOC).toContain('`POST /api/v1/chat/completions`');
    expect(DOC).toContain('`POST /chat/completions`');
  });
});
