import { Hono } from 'hono';
import { adminRoutes } from './admin';
import type { AppDeps } from './deps';
import { AppError, appErrorOf, errorResponse } from './errors';
import { isProxyPath, proxyRoutes } from './proxy';
import { proxyAnswerHeaders } from './proxy/cors';
import { GenerationKeys } from './proxy/generation-keys';
import { type ProxyEndpoint, proxyPostEndpoints } from './proxy/proxy-endpoints';
import { createServices, type Services } from './services';
import { uiRoutes } from './ui';

/** The whole application, built from what the runtime gives it. */
export interface CloudRouterApp {
  /** Every route: the proxy, the admin API and UI, `/health`. */
  app: Hono;
  /** What the runtime serves: the same routes as `app`, the proxy's reached faster. */
  fetch: Hono['fetch'];
  /** The proxy's POST endpoints by path under `/v1` (and the root), for a runtime that serves them without Hono. */
  proxyPosts: ReadonlyMap<string, ProxyEndpoint>;
  services: Services;
}

/** The path of a URL (`scheme://host/path?query`), without its query. */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const query = url.indexOf('?', start);
  return query < 0 ? url.slice(start) : url.slice(start, query);
}

/** Builds CloudRouter: the proxy, the admin API and UI, on any runtime. */
export function createApp(deps: AppDeps): CloudRouterApp {
  const services = createServices(deps);
  const generations = new GenerationKeys();
  const proxyPosts = proxyPostEndpoints(services, generations);
  const proxy = proxyRoutes(services, proxyPosts, generations);
  const rootProxy = proxyRoutes(services, proxyPosts, generations, true);
  const app = withErrorAnswers(new Hono(), services);

  app.get('/health', async (c) => {
    await services.keys.ready();
    const counts = services.keys.pool.counts(services.clock.now());
    return c.json({
      status: 'ok',
      runtime: deps.runtime,
      keys: { total: services.keys.pool.size, ...counts },
    });
  });

  app.route('/', uiRoutes(services));
  app.route('/admin/api', adminRoutes(services));
  app.route('/v1', proxy);
  app.route('/api/v1', proxy);
  // At the root too (`GET /` stays the UI's): clients told to use the bare host as base URL.
  app.route('/', rootProxy);

  // The proxy's routes again, alone: a few routes keep Hono's RegExpRouter, where the admin
  // routes make the whole app fall back to a trie that searches and sorts on every request.
  const proxyOnly = withErrorAnswers(new Hono(), services);
  proxyOnly.route('/v1', proxy);
  proxyOnly.route('/api/v1', proxy);
  proxyOnly.route('/', rootProxy);
  const fetch: Hono['fetch'] = (request, env, ctx) =>
    (isProxyPath(pathOf(request.url)) ? proxyOnly : app).fetch(request, env, ctx);
  return { app, fetch, proxyPosts, services };
}

/** The error and not-found answers, in the contract's shape, of every app. */
function withErrorAnswers(app: Hono, services: Services): Hono {
  app.onError((err, c) => {
    // Every answer of the proxy carries its attempt count; a refusal made before any attempt says 0.
    const extra = isProxyPath(c.req.path) ? proxyAnswerHeaders(c.req.header('origin'), 0) : undefined;
    const error = appErrorOf(err, (cause) =>
      services.logger.log('error', 'unhandled error', { path: c.req.path, error: String(cause) }),
    );
    return errorResponse(error, { ...extra, ...error.headers });
  });
  app.notFound((c) =>
    errorResponse(
      new AppError(404, `No route for ${c.req.method} ${c.req.path}`, 'route_not_found'),
      isProxyPath(c.req.path) ? proxyAnswerHeaders(c.req.header('origin'), 0) : undefined,
    ),
  );
  return app;
}
