import type { ClientKeyRecord } from '../client-keys/client-key-record';
import type { ClientExchange } from '../deps';
import { AppError, errorAnswer, isRecord } from '../errors';
import { parseJsonBody } from '../lib/read-json';
import type { LimitTicket } from '../limits/limits';
import type { Services } from '../services';
import { type AttemptContext, nextAttempt } from './attempt-loop';
import { proxyAnswerHeaders } from './cors';
import { clientHeaders, upstreamHeaders } from './headers';
import type { PreparedRequest } from './prepare-request';
import type { RequestRecord } from './request-record';
import { relayStream } from './stream-relay';
import { type Usage, usageFromSseTail, usageOfAnswer } from './usage';

/** Serves one proxy request for a client key that was already let in. */
export type ProxyHandler = (ex: ClientExchange, client: ClientKeyRecord) => Promise<Response>;

/** A POST route of the proxy: `/chat/completions`, `/completions` or `/embeddings`. */
export function proxyPost(services: Services, path: string): ProxyHandler {
  const { clock, config } = services;
  const url = config.openrouterBaseUrl + path;
  return async (ex, client) => {
    const startedAt = clock.now();
    const waits = services.loading();
    if (waits) await waits;
    let json: Record<string, unknown>;
    let prepared: PreparedRequest;
    let ticket: LimitTicket | null;
    try {
      const text = await ex.text(config.maxBodyBytes);
      const parsed = parseJsonBody(text);
      if (!isRecord(parsed))
        throw new AppError(400, 'The request body must be a JSON object', 'invalid_body');
      json = parsed;
      prepared = services.prepareRequest(client, json, text);
      const admitted = services.limits.admit(client, startedAt);
      ticket = admitted instanceof Promise ? await admitted : admitted;
    } catch (err) {
      // Refused before any attempt: the answer still says how many it took.
      if (err instanceof AppError) err.headers['x-cloudrouter-attempts'] ??= '0';
      throw err;
    }
    const settings = services.settings();
    const stream = json.stream === true;
    const ctx: AttemptContext = {
      services,
      url,
      method: 'POST',
      headers: upstreamHeaders((name) => ex.header(name), config),
      body: prepared.body,
      stream,
      stickyFor: client.id,
      deadline: startedAt + settings.request_deadline_ms,
      maxAttempts: settings.max_attempts,
      timeoutMs: settings.upstream_timeout_ms,
      signal: ex.signal,
      tried: new Set(),
      tries: [],
      lastError: null,
      lastClass: null,
    };
    // The reservation (if any) ends with the request's usage; only once, whatever happens.
    const settle = (usage: Usage | null) => {
      if (ticket) services.limits.settle(ticket, usage && { tokens: usage.totalTokens, cost: usage.cost });
    };
    let result: Awaited<ReturnType<typeof nextAttempt>>;
    try {
      result = await nextAttempt(ctx);
    } catch (err) {
      settle(null);
      throw err;
    }
    const ours = proxyAnswerHeaders(ex.header('origin'), ctx.tries.length);
    if (prepared.resolvedModel) ours['x-cloudrouter-model'] = prepared.resolvedModel;
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
      attempts: ctx.tries.length,
      tries: ctx.tries,
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
      const answer = errorAnswer(result.error, ours);
      return ex.send(answer.status, answer.headers, answer.body);
    }
    const { key, reply, answer } = result;
    record.keyId = key.id;
    record.keyHint = key.hint;
    record.status = reply.status;
    services.flushSoon(ex);
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
    return ex.stream(reply.status, headers, async (sink) => {
      const end = await relayStream(ctx, { key, reply }, sink, config.streamIdleTimeoutMs).catch((err) => {
        settle(null);
        throw err;
      });
      record.keyId = end.key.id;
      record.keyHint = end.key.hint;
      record.attempts = ctx.tries.length;
      record.errorClass = end.errorClass;
      record.latencyMs = clock.now() - startedAt;
      record.usage = usageFromSseTail(end.tail);
      recorder.record(record);
      settle(record.usage);
      services.flushSoon(ex);
    });
  };
}
