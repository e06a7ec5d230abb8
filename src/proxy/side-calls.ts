import type { Context } from 'hono';
import { clientSignalOf, UpstreamFailure, type UpstreamReply } from '../deps';
import { AppError, fromUpstreamError } from '../errors';
import type { PoolKey } from '../keys/key-pool';
import type { Services } from '../services';
import { AttemptRun } from './attempt-loop';
import { proxyAnswerHeaders } from './cors';
import { finishError } from './finish-error';
import type { GenerationKeys } from './generation-keys';
import { clientHeaders, upstreamHeaders } from './headers';
import { redactSecret } from './redact-secret';

/** How many pool keys a generation id unknown here is looked up with before the answer is 404. */
const GENERATION_PROBES = 5;

/**
 * `GET /v1/models/{author}/{slug}/endpoints`: OpenRouter's providers of one
 * model (an alias is resolved first), asked with any healthy key through the
 * attempt loop, like a model request.
 */
export function modelEndpoints(services: Services) {
  return async (c: Context): Promise<Response> => {
    const name = `${c.req.param('author')}/${c.req.param('slug')}`;
    await services.loading();
    const resolved = services.resolver.resolve(name);
    const id = resolved.includes('/') ? resolved : name;
    const url = `${services.config.openrouterBaseUrl}/models/${id.split('/').map(encodeURIComponent).join('/')}/endpoints`;
    return getThroughPool(services, c, url);
  };
}

/**
 * `GET /v1/generation?id=`: the cost and tokens of one generation, asked with
 * the key that served it (OpenRouter answers it to that account only). An id
 * not remembered here (served before a restart, or by another isolate) is
 * asked of up to {@link GENERATION_PROBES} keys; none knowing it is a 404.
 *
 * A search for the generation's owner, not a failover, so not through
 * {@link AttemptRun}: the remembered key's answer is final whatever it is
 * (no other account can read its generation, so a 5xx there is not worth
 * another key), another account's 404 means "not mine" where the attempt
 * loop reads a 404 as the request's own fault, and what a probe meets is
 * not the key's state to change. Through the loop that would take a key
 * pinned first, a per-call verdict before the classifier, and the final
 * answer rebuilt from its tries: more for the loop to carry than this.
 */
export function generationLookup(services: Services, generations: GenerationKeys) {
  return async (c: Context): Promise<Response> => {
    const id = c.req.query('id') ?? '';
    if (!id || id.length > 200)
      throw new AppError(400, 'Give the generation id: GET /v1/generation?id=<id>', 'invalid_generation_id');
    await services.loading();
    const ex = services.deps.exchange(c);
    const url = `${services.config.openrouterBaseUrl}/generation?id=${encodeURIComponent(id)}`;
    const known = generations.keyOf(id);
    const knownKey = known ? services.keys.pool.get(known) : undefined;
    const candidates: PoolKey[] = knownKey ? [knownKey] : [];
    const tried = new Set<string>(known ? [known] : []);
    const now = services.clock.now();
    while (!knownKey && candidates.length < GENERATION_PROBES) {
      const key = services.keys.pool.pick(now, tried);
      if (!key) break;
      tried.add(key.id);
      candidates.push(key);
    }
    const headers = upstreamHeaders(ex, services.config);
    const settings = services.settings();
    let attempts = 0;
    let last: AppError | null = null;
    for (const key of candidates) {
      attempts++;
      let reply: UpstreamReply;
      try {
        reply = await services.deps.upstream.send({
          url,
          method: 'GET',
          headers: { ...headers, authorization: key.authorization },
          headersTimeoutMs: settings.upstream_timeout_ms,
          signal: clientSignalOf(c.req.raw.signal),
        });
      } catch (err) {
        // The transports word their failures without addresses; anything else is not shown.
        const what = err instanceof UpstreamFailure ? err.message : 'the connection failed';
        last = new AppError(502, `The upstream could not be reached: ${what}`, 'upstream_unreachable');
        continue;
      }
      const body = await reply.bytes().catch(() => new Uint8Array());
      if (reply.status === 200) {
        generations.remember(id, key.id);
        const ours = proxyAnswerHeaders(c.req.header('origin'), attempts);
        return ex.send(200, clientHeaders(reply.headers, ours), body);
      }
      last = fromUpstreamError(reply.status, redactSecret(parseJson(body), key.secret, key.hint));
      // A key that served it answers; another account's 404 only says "not mine".
      if (knownKey) break;
    }
    // Another account's 401, 402 or 404 is no answer for the client: only a 5xx (or such) is passed on.
    const error =
      last && last.status >= 500
        ? last
        : new AppError(
            404,
            `Generation ${id} was not found with any key of the pool`,
            'generation_not_found',
          );
    return finishError(ex, error, { attempts });
  };
}

/** A GET through the attempt loop: the first key that answers well gives the answer. */
async function getThroughPool(services: Services, c: Context, url: string): Promise<Response> {
  await services.loading();
  const settings = services.settings();
  const now = services.clock.now();
  const ex = services.deps.exchange(c);
  const run = new AttemptRun({
    services,
    url,
    method: 'GET',
    headers: upstreamHeaders(ex, services.config),
    body: undefined,
    stream: false,
    stickyFor: undefined,
    model: null,
    deadline: now + settings.request_deadline_ms,
    maxAttempts: settings.max_attempts,
    maxKeyFaults: services.config.maxKeyFaults,
    timeoutMs: settings.upstream_timeout_ms,
    signal: clientSignalOf(c.req.raw.signal),
  });
  const result = await run.next();
  services.afterAttempts(ex, run.keysToCheck);
  if (!result.ok) return finishError(ex, result.error, { attempts: run.tries.length });
  const ours = proxyAnswerHeaders(c.req.header('origin'), run.tries.length);
  const body = result.answer ? result.answer.bytes : await result.reply.bytes();
  return ex.send(result.reply.status, clientHeaders(result.reply.headers, ours), body);
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
