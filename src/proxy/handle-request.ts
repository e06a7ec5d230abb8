import type { ClientKeyRecord } from '../client-keys/client-key-record';
import type { ClientExchange, UpstreamReply } from '../deps';
import { AppError, isRecord } from '../errors';
import { parseJsonBody } from '../lib/read-json';
import type { LimitTicket } from '../limits/limits';
import type { Services } from '../services';
import { type ApiFamily, openAiFamily } from './api-family';
import { AttemptRun } from './attempt-loop';
import { type ConversationFamily, conversationOf, type PromptFamily } from './conversation-identity';
import { proxyAnswerHeaders } from './cors';
import { finishError } from './finish-error';
import type { GenerationKeys } from './generation-keys';
import { clientHeaders, isSendableHeaderValue, upstreamHeaders } from './headers';
import { generationIdIn, usageOfGeneration } from './left-stream-usage';
import type { PreparedRequest } from './prepare-request';
import type { RequestRecord } from './request-record';
import { relayStream } from './stream-relay';
import { type Usage, usageFromSseTail, usageOfAnswer } from './usage';

/**
 * The routes whose requests belong to conversations, and the format of their bodies. Not
 * `/embeddings`: nothing is cached for an embedding, so its requests are spread by rotation.
 */
const CONVERSATION_FAMILIES: Readonly<Record<string, PromptFamily>> = {
  '/chat/completions': 'chat',
  '/messages': 'messages',
  '/responses': 'responses',
  '/completions': 'completions',
};

/** Serves one proxy request for a client key that was already let in. */
export type ProxyHandler = (ex: ClientExchange, client: ClientKeyRecord) => Promise<Response>;

/**
 * A POST route of the proxy (`/chat/completions`, `/completions`, `/embeddings`, `/responses`,
 * `/messages`), forwarded to the same path upstream; `family` shapes its errors and stream endings,
 * and `generations` hears which key served each generation.
 */
export function proxyPost(
  services: Services,
  path: string,
  family: ApiFamily = openAiFamily,
  generations?: GenerationKeys,
): ProxyHandler {
  const { clock, config } = services;
  const url = config.openrouterBaseUrl + path;
  const conversations = CONVERSATION_FAMILIES[path] ?? null;
  // Empty answers are told apart for the chat, Messages and Responses formats only.
  const answers: ConversationFamily | null = conversations === 'completions' ? null : conversations;
  return async (ex, client) => {
    const startedAt = clock.now();
    const waits = services.loading(client);
    if (waits) await waits;
    // A refusal here is thrown before any attempt: the endpoint answers it (0 attempts).
    const text = await ex.text(config.maxBodyBytes);
    const parsed = parseJsonBody(text);
    if (!isRecord(parsed)) throw new AppError(400, 'The request body must be a JSON object', 'invalid_body');
    const json: Record<string, unknown> = parsed;
    const prepared: PreparedRequest = services.prepareRequest(client, json, text);
    const admitted = services.limits.admit(client, startedAt);
    const ticket: LimitTicket | null = admitted instanceof Promise ? await admitted : admitted;
    const settings = services.settings();
    const stream = json.stream === true;
    const run = new AttemptRun({
      services,
      url,
      method: 'POST',
      headers: upstreamHeaders(ex, config),
      body: prepared.body,
      stream,
      stickyFor: client.id,
      model: prepared.resolvedModel ?? prepared.model,
      conversation:
        conversations && settings.conversation_affinity
          ? conversationOf(json, conversations, (name) => ex.header(name))
          : null,
      retryEmpty: settings.retry_empty_answers ? answers : null,
      deadline: startedAt + settings.request_deadline_ms,
      maxAttempts: settings.max_attempts,
      maxKeyFaults: config.maxKeyFaults,
      ownRouting: isRecord(json.provider),
      timeoutMs: settings.upstream_timeout_ms,
      signal: ex.signal,
    });
    // The reservation (if any) ends with the request's usage; only once, whatever happens.
    const settle = (usage: Usage | null) => {
      if (ticket) services.limits.settle(ticket, usage && { tokens: usage.totalTokens, cost: usage.cost });
    };
    let result: Awaited<ReturnType<AttemptRun['next']>>;
    try {
      result = await run.next();
    } catch (err) {
      settle(null);
      throw err;
    }
    const record: RequestRecord = {
      at: startedAt,
      route: path,
      clientKeyId: client.id,
      clientName: client.name,
      model: prepared.model,
      resolvedModel: prepared.resolvedModel,
      keyId: null,
      keyHint: null,
      status: 0,
      attempts: run.tries.length,
      tries: run.tries,
      latencyMs: 0,
      stream,
      errorClass: null,
      usage: null,
    };
    const { recorder } = services;
    if (!result.ok) {
      record.status = result.error.status;
      record.errorClass = result.errorClass;
      record.latencyMs = clock.now() - startedAt;
      recorder.record(record);
      settle(null);
      services.afterAttempts(ex, run.keysToCheck);
      return finishError(ex, result.error, {
        attempts: run.tries.length,
        headers: prepared.resolvedModel ? { 'x-cloudrouter-model': prepared.resolvedModel } : {},
        format: family.errorBody,
      });
    }
    const { key, reply, answer } = result;
    const generation = reply.headers['x-generation-id'];
    if (generation) generations?.remember(generation, key.id);
    record.keyId = key.id;
    record.keyHint = key.hint;
    record.status = reply.status;
    services.afterAttempts(ex, run.keysToCheck);
    const ours = proxyAnswerHeaders(ex.header('origin'), run.tries.length);
    if (prepared.resolvedModel && isSendableHeaderValue(prepared.resolvedModel))
      ours['x-cloudrouter-model'] = prepared.resolvedModel;
    const headers = clientHeaders(reply.headers, ours);
    if (answer) {
      record.latencyMs = clock.now() - startedAt;
      record.usage = usageOfAnswer(answer);
      recorder.record(record);
      settle(record.usage);
      return ex.send(reply.status, headers, answer.bytes);
    }
    headers['cache-control'] ??= 'no-cache';
    headers['x-accel-buffering'] = 'no';
    return streamOrCancel(reply, settle, () =>
      ex.stream(reply.status, headers, async (sink) => {
        const end = await relayStream(run, { key, reply }, sink, config.streamIdleTimeoutMs, family).catch(
          (err) => {
            settle(null);
            throw err;
          },
        );
        if (end.key !== key) {
          // Another key served after a failover: its generation is the one the client reads.
          const served = end.reply.headers['x-generation-id'] ?? generationIdIn(end.tail);
          if (served) generations?.remember(served, end.key.id);
        }
        record.keyId = end.key.id;
        record.keyHint = end.key.hint;
        record.attempts = run.tries.length;
        record.errorClass = end.errorClass;
        record.latencyMs = clock.now() - startedAt;
        record.usage = usageFromSseTail(end.tail);
        const generation =
          record.usage || end.errorClass !== 'client_closed' ? null : generationIdIn(end.tail);
        if (generation) {
          // The client left before the usage chunk: the generation still costs; ask OpenRouter
          // what it cost (no tokens spent), in the background, then record and settle it.
          ex.waitUntil(
            usageOfGeneration(generation, {
              upstream: services.deps.upstream,
              baseUrl: config.openrouterBaseUrl,
              authorization: end.key.authorization,
            }).then((usage) => {
              record.usage = usage;
              recorder.record(record);
              settle(usage);
              services.flushSoon(ex);
            }),
          );
        } else {
          recorder.record(record);
          settle(record.usage);
        }
        services.afterAttempts(ex, run.keysToCheck);
      }),
    );
  };
}

/**
 * Starts the client's stream; if that fails (the answer cannot be begun), the upstream stream
 * already open is cancelled rather than left running for no one, and the cap's reservation freed.
 */
export function streamOrCancel(
  reply: Pick<UpstreamReply, 'cancel'>,
  settle: (usage: null) => void,
  start: () => Response,
): Response {
  try {
    return start();
  } catch (err) {
    reply.cancel();
    settle(null);
    throw err;
  }
}
