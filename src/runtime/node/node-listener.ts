import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudRouterApp } from '../../app';
import { NodeExchange } from './node-exchange';

/** A `node:http` request listener. */
export type NodeListener = (incoming: IncomingMessage, outgoing: ServerResponse) => unknown;

/**
 * Node's request listener: the proxy's POST endpoints (under `/v1`, `/api/v1`
 * and at the root) straight from `node:http`, everything else through Hono (`fallback`). On the proxy's path
 * Hono's context and the Web `Request` cost about 9 µs per request, as much as
 * the proxy's own work; the endpoints and their answers are the same either way.
 */
export function nodeListener(
  router: Pick<CloudRouterApp, 'proxyPosts' | 'services'>,
  fallback: NodeListener,
) {
  const { proxyPosts, services } = router;
  return (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const endpoint = incoming.method === 'POST' ? proxyPosts.get(proxyPath(incoming.url)) : undefined;
    if (!endpoint) {
      fallback(incoming, outgoing);
      return;
    }
    endpoint(new NodeExchange(incoming, outgoing)).catch((err) => {
      // Not even the error answer could be written: the connection is all that is left to end.
      services.logger.log('error', 'unanswered request', { path: incoming.url, error: String(err) });
      outgoing.destroy();
    });
  };
}

/**
 * The proxy path a request target names, without its query: the path under `/v1` or `/api/v1`,
 * else the path itself (the proxy's routes also answer at the root); '' for a target that is not
 * a path (absolute-form targets go through Hono).
 */
export function proxyPath(url = ''): string {
  if (url.charCodeAt(0) !== 0x2f) return '';
  const start = url.startsWith('/v1/') ? 3 : url.startsWith('/api/v1/') ? 7 : 0;
  const query = url.indexOf('?', start);
  return query < 0 ? url.slice(start) : url.slice(start, query);
}
