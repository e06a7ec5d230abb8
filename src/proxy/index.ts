import { Hono } from 'hono';
import { type ClientAuthVariables, clientAuth } from '../middleware/client-auth';
import type { Services } from '../services';
import { listModels } from './list-models';
import type { ProxyEndpoint } from './proxy-endpoints';

/** The OpenAI-compatible routes, mounted under `/v1` and `/api/v1`. */
export function proxyRoutes(
  services: Services,
  posts: ReadonlyMap<string, ProxyEndpoint>,
): Hono<{ Variables: ClientAuthVariables }> {
  const app = new Hono<{ Variables: ClientAuthVariables }>();
  // The POST endpoints let their client in themselves; they come first, so the middleware never runs for them.
  for (const [path, endpoint] of posts) app.post(path, (c) => endpoint(services.deps.exchange(c)));
  app.use('*', clientAuth({ clientKeys: services.clientKeys, clock: services.clock }));
  app.get('/models', listModels(services));
  return app;
}
