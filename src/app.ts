import { Hono } from 'hono';
import { adminRoutes } from './admin';
import type { AppDeps } from './deps';
import { AppError, appErrorOf, errorResponse } from './errors';
import { proxyRoutes } from './proxy';
import { proxyAnswerHeaders } from './proxy/cors';
import { type ProxyEndpoint, proxyPostEndpoints } from './proxy/proxy-endpoints';
import { createServices, type Services } from './services';
import { uiRoutes } from './ui';

/** The whole application, built from what the runtime gives it. */
export interface CloudRouterApp {
  /** Every route: the proxy, the admin API and UI, `/health`. */
  app: Hono;
  /** What the runtime serves: the same routes as `app`, the proxy's reached faster. */
  fetch: Hono['fetch'];
  /** The proxy's POST endpoints by path under `/v1`, for a runtime that serves them without Hono. */
  proxyPosts: ReadonlyMap<string, ProxyEndpoint>;
  services: Services;
}

const PROXY_PATH = /^\/(api\/)?v1\//;
const PROXY_URL = /^[a-z]+:\/\/[^/]*\/(api\/)?v1\//;

/** Builds CloudRouter: the proxy, the admin API and UI, on any runtime. */
export function createApp(deps: AppDeps): CloudRouterApp {
  const services = createServices(deps);
  const proxyPosts = proxyPostEndpoints(services);
  const proxy = proxyRoutes(services, proxyPosts);
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

  // The proxy's routes again, alone: a few routes keep Hono's RegExpRouter, where the admin
  // routes make the whole app fall back to a trie that searches and sorts on every request.
  const proxyOnly = withErrorAnswers(new Hono(), services);
  proxyOnly.route('/v1', proxy);
  proxyOnly.route('/api/v1', proxy);
  const fetch: Hono['fetch'] = (request, env, ctx) =>
    (PROXY_URL.test(request.url) ? proxyOnly : app).fetch(request, env, ctx);
  return { app, fetch, proxyPosts, services };
}

/** The error and not-found answers, in the contract's shape, of every app. */
function withErrorAnswers(app: Hono, services: Services): Hono {
  app.onError((err, c) => {
    // Every answer of the proxy carries its attempt count; a refusal made before any attempt says 0.
    const extra = PROXY_PATH.test(c.req.path) ? proxyAnswerHeaders(c.req.header('origin'), 0) : undefined;
    const error = appErrorOf(err, (cause) =>
      services.logger.log('error', 'unhandled error', { path: c.req.path, error: String(cause) }),
    );
    return errorResponse(error, { ...extra, ...error.headers });
  });
  app.notFound((c) =>
    errorResponse(
      new AppError(404, `No route for ${c.req.method} ${c.req.path}`, 'route_not_found'),
      PROXY_PATH.test(c.req.path) ? proxyAnswerHeaders(c.req.header('origin'), 0) : undefined,
    ),
  );
  return app;
}
