import { type Context, Hono } from 'hono';
import { type ClientAuthVariables, clientAuth } from '../middleware/client-auth';
import type { Services } from '../services';
import { preflightHeaders } from './cors';
import type { GenerationKeys } from './generation-keys';
import { listModels } from './list-models';
import type { ProxyEndpoint } from './proxy-endpoints';
import { generationLookup, modelEndpoints } from './side-calls';

/** The proxy's GET routes, by their path under `/v1`. */
const PROXY_GET_PATHS = ['/models', '/generation', '/models/:author/:slug/endpoints'];

/**
 * The proxy's routes (the POST endpoints, `GET /models`, OpenRouter's side
 * calls). Under `/v1` and `/api/v1` (`atRoot` false) every path needs a client
 * key, unknown ones too; at the root (`atRoot` true) only the proxy's own paths
 * are routed, so that they leave the admin UI's alone.
 */
export function proxyRoutes(
  services: Services,
  posts: ReadonlyMap<string, ProxyEndpoint>,
  generations: GenerationKeys,
  atRoot = false,
): Hono<{ Variables: ClientAuthVariables }> {
  const app = new Hono<{ Variables: ClientAuthVariables }>();
  // A browser's preflight carries no key: it is answered before any check.
  const preflight = (c: Context) =>
    c.body(null, 204, preflightHeaders(c.req.header('access-control-request-headers')));
  if (atRoot) for (const path of [...posts.keys(), ...PROXY_GET_PATHS]) app.options(path, preflight);
  else app.options('*', preflight);
  // The POST endpoints let their client in themselves; they come first, so the middleware never runs for them.
  for (const [path, endpoint] of posts) app.post(path, (c) => endpoint(services.deps.exchange(c)));
  const auth = clientAuth({ clientKeys: services.clientKeys, clock: services.clock });
  if (atRoot) for (const path of PROXY_GET_PATHS) app.use(path, auth);
  else app.use('*', auth);
  app.get('/models', listModels(services));
  app.get('/generation', generationLookup(services, generations));
  app.get('/models/:author/:slug/endpoints', modelEndpoints(services));
  return app;
}

/** Whether a request path is one of the proxy's: under `/v1` or `/api/v1`, or one of its routes at the root. */
export function isProxyPath(path: string): boolean {
  return PROXY_PATH.test(path);
}

const PROXY_PATH =
  /^\/(?:(?:api\/)?v1\/|(?:chat\/completions|completions|embeddings|responses|messages(?:\/count_tokens)?|models|generation)(?:$|\/))/;
