import type { Context } from 'hono';
import { AppError, errorResponse, isRecord } from '../errors';
import { readJson } from '../lib/read-json';
import type { ClientAuthVariables } from '../middleware/client-auth';
import type { Services } from '../services';
import { type AttemptContext, nextAttempt } from './attempt-loop';
import { clientHeaders, upstreamHeaders } from './headers';
import type { PreparedRequest } from './prepare-request';
import type { RequestRecord } from './request-record';
import { relayStream } from './stream-relay';
import { usageFromSseTail, usageOfAnswer } from './usage';

type ProxyContext = Context<{ Variables: ClientAuthVariables }>;

/** A POST route of the proxy: `/chat/completions`, `/completions` or `/embeddings`. */
export function proxyPost(services: Services, path: string) {
  const { clock, config, deps } = services;
  const url = config.openrouterBaseUrl + path;
  return async (c: ProxyContext): Promise<Response> => {
    const startedAt = clock.now();
    const client = c.get('clientKey');
    const waits = [
      services.keys.ready(),
      services.modelMap.ready(),
      services.settingsStore.ready(),
      services.catalogReady(),
    ];
    if (waits.some(Boolean)) await Promise.all(waits);
    let json: Record<string, unknown>;
    let prepared: PreparedRequest;
    try {
      const read = await readJson(c, { maxBytes: config.maxBodyBytes });
      if (!isRecord(read.json))
        throw new AppError(400, 'The request body must be a JSON object', 'invalid_body');
      json = read.json;
      prepared = services.prepareRequest(client, json, read.text);
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
      headers: upstreamHeaders((name) => c.req.header(name), config),
      body: prepared.body,
      stream,
      stickyFor: client.id,
      deadline: startedAt + settings.request_deadline_ms,
      maxAttempts: settings.max_attempts,
      timeoutMs: settings.upstream_timeout_ms,
      signal: deps.responder.signal(c),
      tried: new Set(),
      tries: [],
      lastError: null,
      lastClass: null,
    };
    const result = await nextAttempt(ctx);
    const ours: Record<string, string> = { 'x-cloudrouter-attempts': String(ctx.tries.length) };
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
      return errorResponse(result.error, ours);
    }
    const { key, reply, answer } = result;
    record.keyId = key.id;
    record.keyHint = key.hint;
    record.status = reply.status;
    services.flushSoon(c);
    const headers = clientHeaders(reply.headers, ours);
    if (answer) {
      record.latencyMs = clock.now() - startedAt;
      record.usage = usageOfAnswer(answer);
      recorder.record(record);
      return deps.responder.send(c, reply.status, headers, answer.bytes);
    }
    headers['cache-control'] ??= 'no-cache';
    headers['x-accel-buffering'] = 'no';
    return deps.responder.stream(c, reply.status, headers, async (sink) => {
      const end = await relayStream(ctx, { key, reply }, sink, config.streamIdleTimeoutMs);
      record.keyId = end.key.id;
      record.keyHint = end.key.hint;
      record.attempts = ctx.tries.length;
      record.errorClass = end.errorClass;
      record.latencyMs = clock.now() - startedAt;
      record.usage = usageFromSseTail(end.tail);
      recorder.record(record);
      services.flushSoon(c);
    });
  };
}
