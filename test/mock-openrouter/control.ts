import type { ServerResponse } from 'node:http';
import type { MockState } from './state.js';
import type { KeyInfoSetting, MockReply } from './types.js';

type Json = Record<string, unknown>;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function needKey(body: Json): string {
  if (typeof body.key !== 'string' || body.key === '') throw new Error('"key" must be a non-empty string');
  return body.key;
}

function act(method: string, path: string, body: Json, state: MockState): unknown {
  if (method === 'GET' && path === '/__mock/requests') return { requests: state.requests };
  if (method !== 'POST') return undefined;
  switch (path) {
    case '/__mock/script': {
      if (!Array.isArray(body.replies)) throw new Error('"replies" must be an array');
      state.script(needKey(body), body.replies as MockReply[]);
      return { ok: true };
    }
    case '/__mock/always':
      state.always(needKey(body), (body.reply ?? null) as MockReply | null);
      return { ok: true };
    case '/__mock/key-info':
      if (!body.info || typeof body.info !== 'object') throw new Error('"info" must be an object');
      state.keyInfo(needKey(body), body.info as KeyInfoSetting);
      return { ok: true };
    case '/__mock/models':
      if (!Array.isArray(body.models)) throw new Error('"models" must be an array');
      state.setModels(body.models as object[]);
      return { ok: true };
    case '/__mock/reset':
      state.reset();
      return { ok: true };
    default:
      return undefined;
  }
}

/** Answers one call of the HTTP control API (`/__mock/...`), the scripting route for non-JS tests. */
export function handleControl(
  method: string,
  path: string,
  rawBody: string,
  state: MockState,
  res: ServerResponse,
): void {
  try {
    const body = (rawBody ? JSON.parse(rawBody) : {}) as Json;
    const result = act(method, path, body ?? {}, state);
    if (result === undefined) send(res, 404, { error: `unknown control call ${method} ${path}` });
    else send(res, 200, result);
  } catch (err) {
    send(res, 400, { error: err instanceof Error ? err.message : String(err) });
  }
}
