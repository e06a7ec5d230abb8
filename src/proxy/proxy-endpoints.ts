import type { ClientExchange } from '../deps';
import { appErrorOf } from '../errors';
import { clientKeyOf } from '../middleware/client-auth';
import type { Services } from '../services';
import { finishError } from './finish-error';
import { proxyPost } from './handle-request';

/**
 * A whole proxy request on an exchange: lets the client key in, answers, and
 * answers any error in the contract's shape. Never rejects unless the
 * exchange cannot even send that error.
 */
export type ProxyEndpoint = (ex: ClientExchange) => Promise<Response>;

/** The POST routes of the proxy, by their path under `/v1` (and `/api/v1`). */
const PROXY_POST_PATHS = ['/chat/completions', '/completions', '/embeddings'];

/** The proxy's POST endpoints by path: Hono routes them on Workers, Node straight from `node:http`. */
export function proxyPostEndpoints(services: Services): ReadonlyMap<string, ProxyEndpoint> {
  const auth = { clientKeys: services.clientKeys, clock: services.clock };
  const endpoints = new Map<string, ProxyEndpoint>();
  for (const path of PROXY_POST_PATHS) {
    const handle = proxyPost(services, path);
    endpoints.set(path, async (ex) => {
      try {
        let client = clientKeyOf(auth, ex.header('authorization'));
        if (client instanceof Promise) client = await client;
        return await handle(ex, client);
      } catch (err) {
        const error = appErrorOf(err, (cause) =>
          services.logger.log('error', 'unhandled error', { path, error: String(cause) }),
        );
        // Every answer of the proxy carries its attempt count; a refusal before any attempt says 0.
        return finishError(ex, error, { attempts: 0 });
      }
    });
  }
  return endpoints;
}
