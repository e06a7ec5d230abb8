import { Hono } from 'hono';
import { type ClientAuthVariables, clientAuth } from '../middleware/client-auth';
import type { Services } from '../services';
import { preflightHeaders } from './cors';
import { listModels } from './list-models';
import type { ProxyEndpoint } from './proxy-endpoints';

/** The OpenAI-compatible routes, mounted under `/v1` and `/api/v1`. */
export function proxyRoutes(
  services: Services,
  posts: ReadonlyMap<string, ProxyEndpoint>,
): Hono<{ Variables: ClientAuthVariables }> {
  const app = new Hono<{ Variables: ClientAuthVariables }>();
  // A browser's preflight carries no key: it is answered before any check.
  app.options('*', (c) =>
    c.body(null, 204, preflightHeaders(c.req.header('access-control-request-headers'))),
  );
  // The POST endpoints let their client in themselves; they come first, so the middleware never runs for them.
  for (const [path, endpoint] of posts) app.post(path, (c) => endpoint(services.deps.exchange(c)));
  app.use('*', clientAuth({ clientKeys: services.clientKeys, clock: services.clock }));
  app.get('/models', listModels(services));
  return app;
}
