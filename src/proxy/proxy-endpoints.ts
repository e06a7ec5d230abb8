import type { ClientExchange } from '../deps';
import { AppError, appErrorOf, isRecord } from '../errors';
import { parseJsonBody } from '../lib/read-json';
import { clientKeyOf } from '../middleware/client-auth';
import type { Services } from '../services';
import { type ApiFamily, anthropicFamily, openAiFamily, responsesFamily } from './api-family';
import { proxyAnswerHeaders } from './cors';
import { estimateInputTokens } from './count-tokens';
import { finishError } from './finish-error';
import type { GenerationKeys } from './generation-keys';
import { type ProxyHandler, proxyPost } from './handle-request';

/**
 * A whole proxy request on an exchange: lets the client key in, answers, and
 * answers any error in the contract's shape. Never rejects unless the
 * exchange cannot even send that error.
 */
export type ProxyEndpoint = (ex: ClientExchange) => Promise<Response>;

/**
 * The POST routes of the proxy, by their path under `/v1` (and `/api/v1`, and the root), each
 * forwarded to the same path upstream, with the API family that shapes its errors.
 */
const PROXY_POST_ROUTES: ReadonlyArray<readonly [path: string, family: ApiFamily]> = [
  ['/chat/completions', openAiFamily],
  ['/completions', openAiFamily],
  ['/embeddings', openAiFamily],
  ['/responses', responsesFamily],
  ['/messages', anthropicFamily],
];

/** The proxy's POST endpoints by path: Hono routes them on Workers, Node straight from `node:http`. */
export function proxyPostEndpoints(
  services: Services,
  generations: GenerationKeys,
): ReadonlyMap<string, ProxyEndpoint> {
  const endpoints = new Map<string, ProxyEndpoint>();
  for (const [path, family] of PROXY_POST_ROUTES)
    endpoints.set(path, endpoint(services, path, family, proxyPost(services, path, family, generations)));
  endpoints.set(
    '/messages/count_tokens',
    endpoint(services, '/messages/count_tokens', anthropicFamily, countTokens(services)),
  );
  return endpoints;
}

/** A handler behind the client key check, with its errors answered in its family's shape. */
function endpoint(services: Services, path: string, family: ApiFamily, handle: ProxyHandler): ProxyEndpoint {
  const auth = { clientKeys: services.clientKeys, clock: services.clock };
  return async (ex) => {
    try {
      let client = clientKeyOf(auth, ex.header('authorization'), ex.header('x-api-key'));
      if (client instanceof Promise) client = await client;
      return await handle(ex, client);
    } catch (err) {
      const error = appErrorOf(err, (cause) =>
        services.logger.log('error', 'unhandled error', { path, error: String(cause) }),
      );
      // Every answer of the proxy carries its attempt count; a refusal before any attempt says 0.
      return finishError(ex, error, { attempts: 0, format: family.errorBody });
    }
  };
}

/**
 * `POST /v1/messages/count_tokens` (Anthropic's token counting, which Claude Code calls):
 * OpenRouter has no such route, so the answer, `{"input_tokens": N}`, is an estimate made here
 * (see {@link estimateInputTokens}); nothing goes upstream.
 */
function countTokens(services: Services): ProxyHandler {
  return async (ex) => {
    const parsed = parseJsonBody(await ex.text(services.config.maxBodyBytes));
    if (!isRecord(parsed)) throw new AppError(400, 'The request body must be a JSON object', 'invalid_body');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-cloudrouter-token-count': 'estimate',
      ...proxyAnswerHeaders(ex.header('origin'), 0),
    };
    return ex.send(200, headers, JSON.stringify({ input_tokens: estimateInputTokens(parsed) }));
  };
}
