import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chatChunks,
  chatCompletion,
  embedding,
  type MockOpenRouter,
  midStreamError,
  orError,
  sseText,
  startMockOpenRouter,
} from './index.js';
import { validator } from './specs.js';

const KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';
const OTHER = 'sk-or-v1-fedcba9876543210fedcba9876543210';

let mock: MockOpenRouter;
beforeAll(async () => {
  mock = await startMockOpenRouter();
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
type Json = Record<string, any>;

async function jsonOf(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

function post(path: string, body: unknown, key: string | null = KEY, init: RequestInit = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  return fetch(`${mock.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body), ...init });
}

function get(path: string, key: string | null = KEY) {
  return fetch(`${mock.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
}

const chat = (extra: Json = {}, key: string | null = KEY, init?: RequestInit) =>
  post(
    '/chat/completions',
    { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hi' }], ...extra },
    key,
    init,
  );

// The JSON payloads of an SSE body (comments and [DONE] skipped).
function sseData(text: string): Json[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: ') && block !== 'data: [DONE]')
    .map((block) => JSON.parse(block.slice(6)));
}

// Raw node:http GET/POST, without fetch's transparent decompression.
function rawRequest(path: string, body?: unknown): Promise<{ status: number; headers: Json; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${mock.url}${path}`,
      {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('default payloads match the OpenAI and OpenRouter schemas', () => {
  const openaiChat = validator('openai#/components/schemas/CreateChatCompletionResponse');
  const orChat = validator('openrouter#/components/schemas/ChatResult');
  const openaiChunk = validator('openai#/components/schemas/CreateChatCompletionStreamResponse');
  const orChunk = validator('openrouter#/components/schemas/ChatStreamChunk');

  it('non-stream chat completion', async () => {
    const res = await chat();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await jsonOf(res);
    openaiChat(body);
    orChat(body);
    expect(body.id).toMatch(/^gen-\d+-/);
    expect(body.model).toBe('openai/gpt-4o');
    expect(body.provider).toBe('OpenAI');
    expect(body.choices[0]).toMatchObject({
      index: 0,
      finish_reason: 'stop',
      native_finish_reason: 'stop',
      logprobs: null,
      message: { role: 'assistant', refusal: null, reasoning: null },
    });
    expect(body.choices[0].message.content).toBeTypeOf('string');
    expect(body.usage.cost).toBeGreaterThan(0);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('uses the first of `models` when `model` is absent, honours max_tokens', async () => {
    const res = await post('/chat/completions', {
      models: ['anthropic/claude-3.5-sonnet', 'openai/gpt-4o'],
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 2,
    });
    const body = await jsonOf(res);
    orChat(body);
    expect(body.model).toBe('anthropic/claude-3.5-sonnet');
    expect(body.system_fingerprint).toBeNull();
    expect(body.choices[0].finish_reason).toBe('length');
    expect(body.usage.completion_tokens).toBe(2);
  });

  it('non-stream tool call', async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } },
        },
      },
    ];
    const body = await jsonOf(await chat({ tools }));
    openaiChat(body);
    orChat(body);
    expect(body.choices[0].finish_reason).toBe('tool_calls');
    const call = body.choices[0].message.tool_calls[0];
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    expect(call.id).toMatch(/^call_/);
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris', days: 1 });
  });

  it('streamed chat: wire format, every chunk, usage chunk iff include_usage', async () => {
    const res = await chat({ stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('content-length')).toBeNull();
    const text = await res.text();
    expect(text.startsWith(': OPENROUTER PROCESSING\n\ndata: {')).toBe(true);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = sseData(text);
    for (const c of chunks) {
      openaiChunk(c);
      orChunk(c);
      expect(c).toMatchObject({
        object: 'chat.completion.chunk',
        model: 'openai/gpt-4o',
        provider: 'OpenAI',
      });
    }
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(last.usage.cost).toBeGreaterThan(0);
    const finishing = chunks.at(-2)!;
    expect(finishing.choices[0]).toMatchObject({ finish_reason: 'stop', native_finish_reason: 'stop' });
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe('Hello! How can I help you today?');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);

    const plain = sseData(await (await chat({ stream: true })).text());
    expect(plain.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true);
  });

  it('streamed tool call deltas', async () => {
    const tools = [
      {
        type: 'function',
        function: { name: 'lookup', parameters: { properties: { q: { type: 'string' } } } },
      },
    ];
    const chunks = sseData(await (await chat({ stream: true, tools })).text());
    for (const c of chunks) {
      openaiChunk(c);
      orChunk(c);
    }
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({
      index: 0,
      type: 'function',
      function: { name: 'lookup', arguments: '' },
    });
    expect(calls[0].id).toMatch(/^call_/);
    expect(
      calls.slice(1).every((c: Json) => c.id === undefined && typeof c.function.arguments === 'string'),
    ).toBe(true);
    expect(JSON.parse(calls.map((c: Json) => c.function.arguments).join(''))).toEqual({ q: 'Paris' });
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('tool_calls');
  });

  it('helper chunks, the usage chunk and the mid-stream error chunk', () => {
    for (const step of chatChunks('openai/gpt-4o-mini', ['a', 'b'], { includeUsage: true })) {
      if ('data' in step) {
        orChunk(step.data);
        openaiChunk(step.data);
      }
    }
    for (const step of chatChunks('openai/gpt-4o-mini', ['{"a"', ':1}'], { toolCall: true })) {
      if ('data' in step) orChunk(step.data);
    }
    const error = midStreamError('openai/gpt-4o', 'Provider disconnected', 502);
    orChunk(error);
    expect(error).toMatchObject({ error: { code: 502, message: 'Provider disconnected' } });
    expect((error.choices[0] as Json).finish_reason).toBe('error');
    expect(sseText(error)).toBe(`data: ${JSON.stringify(error)}\n\n`);
    expect(sseText({ comment: 'OPENROUTER PROCESSING' })).toBe(': OPENROUTER PROCESSING\n\n');
    expect(sseText({ done: true })).toBe('data: [DONE]\n\n');
    openaiChat(chatCompletion('openai/gpt-4o', 'hi'));
    orChat(chatCompletion('openai/gpt-4o', 'hi'));
  });

  it('GET /models', async () => {
    const res = await get('/models', null);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    validator('openrouter#/components/schemas/ModelsListResponse')(body);
    const ids: string[] = body.data.map((m: Json) => m.id);
    for (const id of [
      'openai/gpt-4o',
      'openai/gpt-4o-mini',
      'openai/gpt-4o-2024-08-06',
      'anthropic/claude-3.5-sonnet',
      'anthropic/claude-3-5-haiku',
      'deepseek/deepseek-coder',
      'deepseek/deepseek-chat',
      'deepseek/deepseek-chat:free',
      'meta-llama/llama-3.1-8b-instruct',
      'meta-llama/llama-3.1-8b-instruct:free',
      'google/gemini-2.0-flash-001',
      'mistralai/mistral-large',
      'qwen/qwen-2.5-coder-32b-instruct',
      'mistralai/mixtral-8x7b-instruct',
      'nousresearch/mixtral-8x7b-instruct',
      'openai/text-embedding-3-small',
    ]) {
      expect(ids).toContain(id);
    }
    expect(body.total_count).toBe(ids.length);
    expect(body.data.find((m: Json) => m.id === 'deepseek/deepseek-chat:free').pricing.prompt).toBe('0');
  });

  it('GET /key', async () => {
    const body = await jsonOf(await get('/key'));
    validator('openrouter#/components/schemas/GetCurrentKeyResponse')(body);
    expect(body.data).toMatchObject({
      limit: null,
      limit_remaining: null,
      is_free_tier: false,
      is_provisioning_key: false,
      free_model_daily_requests: { limit: 1000, remaining: 1000, used: 0 },
    });
    for (const field of [
      'allowed_data_regions',
      'organization_id',
      'workspace_id',
      'expires_at',
      'rate_limit',
    ]) {
      expect(body.data).toHaveProperty(field);
    }
  });

  it('embeddings', async () => {
    const res = await post('/embeddings', { model: 'openai/text-embedding-3-small', input: ['a', 'b', 'c'] });
    const body = await jsonOf(res);
    validator('openai#/components/schemas/CreateEmbeddingResponse')(body);
    validator('openrouter#/components/schemas/CreateEmbeddingsResponse')(body);
    expect(body.data.map((d: Json) => d.index)).toEqual([0, 1, 2]);
    expect(body.data[0].embedding).toHaveLength(1536);
    const one = await jsonOf(
      await post('/embeddings', { model: 'openai/text-embedding-3-small', input: 'x', dimensions: 4 }),
    );
    expect(one.data).toHaveLength(1);
    expect(one.data[0].embedding).toHaveLength(4);
    const b64 = await jsonOf(
      await post('/embeddings', {
        model: 'openai/text-embedding-3-small',
        input: 'x',
        encoding_format: 'base64',
      }),
    );
    validator('openrouter#/components/schemas/CreateEmbeddingsResponse')(b64);
    expect(Buffer.from(b64.data[0].embedding, 'base64').length).toBe(1536 * 4);
    validator('openai#/components/schemas/CreateEmbeddingResponse')(
      embedding('openai/text-embedding-3-small', 2, 3),
    );
  });

  it('legacy completions, plain and streamed', async () => {
    const body = await jsonOf(await post('/completions', { model: 'openai/gpt-4o-mini', prompt: 'Say hi' }));
    validator('openai#/components/schemas/CreateCompletionResponse')(body);
    expect(body.object).toBe('text_completion');
    const text = await (
      await post('/completions', {
        model: 'openai/gpt-4o-mini',
        prompt: 'x',
        stream: true,
        stream_options: { include_usage: true },
      })
    ).text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = sseData(text);
    expect(chunks.every((c) => c.object === 'text_completion')).toBe(true);
    expect(chunks.at(-1)!.usage.total_tokens).toBeGreaterThan(0);
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).toBe(body.choices[0].text);
  });

  it('error bodies match the OpenRouter error responses', async () => {
    const schemas: Record<number, string> = {
      400: 'BadRequestResponse',
      401: 'UnauthorizedResponse',
      402: 'PaymentRequiredResponse',
      403: 'ForbiddenResponse',
      404: 'NotFoundResponse',
      408: 'RequestTimeoutResponse',
      413: 'PayloadTooLargeResponse',
      422: 'UnprocessableEntityResponse',
      429: 'TooManyRequestsResponse',
      500: 'InternalServerResponse',
      502: 'BadGatewayResponse',
      503: 'ServiceUnavailableResponse',
      524: 'EdgeNetworkTimeoutResponse',
      529: 'ProviderOverloadedResponse',
    };
    for (const [status, name] of Object.entries(schemas)) {
      const check = validator(`openrouter#/components/schemas/${name}`);
      mock.script(KEY, { status: Number(status) });
      const res = await chat();
      expect(res.status).toBe(Number(status));
      const body = await jsonOf(res);
      check(body);
      expect(body.error.code).toBe(Number(status));
      check(orError(Number(status), 'x', { reasons: ['violence'] }));
    }
    mock.script(KEY, {
      error: { message: 'Flagged', code: 403, metadata: { reasons: ['hate'], flagged_input: 'x' } },
    });
    const flagged = await chat();
    expect(flagged.status).toBe(403);
    expect(await jsonOf(flagged)).toEqual({
      error: { code: 403, message: 'Flagged', metadata: { reasons: ['hate'], flagged_input: 'x' } },
    });
  });

  it('default errors: missing key, unknown model, unknown route', async () => {
    const noKey = await chat({}, null);
    expect(noKey.status).toBe(401);
    expect(await jsonOf(noKey)).toEqual({ error: { code: 401, message: 'No auth credentials found' } });
    expect((await get('/key', null)).status).toBe(401);
    const bad = await chat({ model: 'nope/nothing' });
    expect(bad.status).toBe(400);
    validator('openrouter#/components/schemas/BadRequestResponse')(await jsonOf(bad));
    const missing = await get('/nothing');
    expect(missing.status).toBe(404);
    validator('openrouter#/components/schemas/NotFoundResponse')(await jsonOf(missing));
    expect((await fetch(`${mock.origin}/chat/completions`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await chat({ model: 'openai/gpt-4o:nitro' })).status).toBe(200);
  });
});

describe('key states', () => {
  it('keyInfo 401 kills the key everywhere', async () => {
    mock.keyInfo(KEY, { status: 401 });
    const res = await get('/key');
    expect(res.status).toBe(401);
    validator('openrouter#/components/schemas/UnauthorizedResponse')(await jsonOf(res));
    expect((await chat()).status).toBe(401);
    expect((await chat({}, OTHER)).status).toBe(200);
  });

  it('out of credit: limit_remaining 0 gives 402 for paid models, free models still answer', async () => {
    mock.keyInfo(KEY, { limit: 10, limit_remaining: 0 });
    const data = (await jsonOf(await get('/key'))).data;
    expect(data).toMatchObject({ limit: 10, limit_remaining: 0 });
    const res = await chat();
    expect(res.status).toBe(402);
    validator('openrouter#/components/schemas/PaymentRequiredResponse')(await jsonOf(res));
    expect((await chat({ model: 'deepseek/deepseek-chat:free' })).status).toBe(200);
  });

  it('limit_remaining follows limit - usage when not given', async () => {
    mock.keyInfo(KEY, { limit: 10, usage: 7.5, is_free_tier: true });
    const body = await jsonOf(await get('/key'));
    validator('openrouter#/components/schemas/GetCurrentKeyResponse')(body);
    expect(body.data).toMatchObject({ limit_remaining: 2.5, free_model_daily_requests: { limit: 50 } });
  });
});

describe('scripting', () => {
  it('queued replies are used once, in order, per key; then `*`; then `always`; then the default', async () => {
    mock.script(KEY, { status: 429, headers: { 'retry-after': '2' } }, { status: 502 });
    mock.script('*', { status: 503 });
    mock.always(KEY, { body: chatCompletion('openai/gpt-4o', 'always') });
    const first = await chat();
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect((await chat({}, OTHER)).status).toBe(503);
    expect((await chat()).status).toBe(502);
    expect((await jsonOf(await chat())).choices[0].message.content).toBe('always');
    expect((await chat()).status).toBe(200);
    expect((await chat({}, OTHER)).status).toBe(200);
    mock.always(KEY, null);
    expect((await jsonOf(await chat())).choices[0].message.content).toBe('Hello! How can I help you today?');
  });

  it('always with a function; returning nothing falls through to the default', async () => {
    mock.always('*', (req) => (req.body.model === 'openai/gpt-4o-mini' ? { status: 500 } : undefined));
    expect((await chat({ model: 'openai/gpt-4o-mini' })).status).toBe(500);
    expect((await chat()).status).toBe(200);
  });

  it('replies without `path` skip /key and /models; with `path` they target them', async () => {
    mock.script(KEY, { status: 500 });
    expect((await get('/key')).status).toBe(200);
    expect((await chat()).status).toBe(500);
    mock.script(KEY, { path: '/key', status: 503 }, { path: '/api/v1/models', body: { data: [] } });
    expect((await chat()).status).toBe(200);
    expect((await get('/key')).status).toBe(503);
    expect(await jsonOf(await get('/models'))).toEqual({ data: [] });
  });

  it('a reply with only headers/delay keeps the default payload (streamed when asked)', async () => {
    mock.script(KEY, { headers: { 'x-test': '1' } }, { delayMs: 1 });
    const res = await chat();
    expect(res.headers.get('x-test')).toBe('1');
    expect((await jsonOf(res)).object).toBe('chat.completion');
    const text = await (await chat({ stream: true })).text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('error shorthand and 200-with-error bodies', async () => {
    mock.script(
      KEY,
      { error: { message: 'slow down', code: 429 } },
      { status: 200, error: { message: 'late', code: 502 } },
    );
    const limited = await chat();
    expect(limited.status).toBe(429);
    expect(await jsonOf(limited)).toEqual({ error: { code: 429, message: 'slow down' } });
    const weird = await chat();
    expect(weird.status).toBe(200);
    expect(await jsonOf(weird)).toEqual({ error: { code: 502, message: 'late' } });
  });

  it('delayMs delays the headers', async () => {
    mock.script(KEY, { delayMs: 150 });
    const start = Date.now();
    const res = await chat();
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(200);
  });

  it('hang never answers; the client gives up', async () => {
    mock.script(KEY, { hang: true });
    await expect(chat({}, KEY, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(mock.chatRequests()).toHaveLength(1);
  });

  it('scripted SSE with delay steps, raw lines and a mid-stream error', async () => {
    const steps = chatChunks('openai/gpt-4o', ['Hel', 'lo']).slice(0, 2);
    mock.script(KEY, {
      sse: [
        ...steps,
        { delayMs: 50 },
        { raw: ': keep-alive\n\n' },
        midStreamError('openai/gpt-4o', 'boom'),
        { done: true },
      ],
    });
    const start = Date.now();
    const text = await (await chat({ stream: true })).text();
    expect(Date.now() - start).toBeGreaterThanOrEqual(45);
    expect(text).toContain(': keep-alive\n\n');
    const chunks = sseData(text);
    expect(chunks.at(-1)).toMatchObject({ error: { code: 502, message: 'boom' } });
  });

  it('dropAfter cuts the stream: the client sees a premature close after the first steps', async () => {
    mock.script(KEY, { sse: chatChunks('openai/gpt-4o', ['a', 'b', 'c', 'd']), dropAfter: 3 });
    const res = await chat({ stream: true });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return null;
        received += decoder.decode(value);
      }
    })().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect(sseData(received)).toHaveLength(2);
    expect(received).not.toContain('[DONE]');
  });

  it('gzip: JSON and SSE bodies are compressed', async () => {
    mock.script(KEY, { gzip: true }, { gzip: true, sse: chatChunks('openai/gpt-4o', ['x']) });
    const plain = await rawRequest('/chat/completions', { model: 'openai/gpt-4o', messages: [] });
    expect(plain.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(plain.body).toString()).object).toBe('chat.completion');
    const streamed = await rawRequest('/chat/completions', {
      model: 'openai/gpt-4o',
      messages: [],
      stream: true,
    });
    expect(streamed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(streamed.body).toString()).toContain('data: [DONE]');
    mock.script(KEY, { gzip: true });
    expect((await jsonOf(await chat())).object).toBe('chat.completion');
  });
});

describe('recording and the HTTP control API', () => {
  it('records every request with headers, key and parsed body', async () => {
    await chat({ temperature: 0.2 }, KEY, { headers: { authorization: `Bearer ${KEY}`, 'x-title': 'Test' } });
    await get('/models?x=1', null);
    await fetch(`${mock.origin}/__mock/requests`);
    expect(mock.requests).toHaveLength(2);
    const [first, second] = mock.requests;
    expect(first).toMatchObject({ method: 'POST', path: '/api/v1/chat/completions', key: KEY, search: '' });
    expect(first.headers['x-title']).toBe('Test');
    expect(first.body.temperature).toBe(0.2);
    expect(JSON.parse(first.rawBody)).toEqual(first.body);
    expect(first.at).toBeLessThanOrEqual(Date.now());
    expect(second).toMatchObject({
      method: 'GET',
      path: '/api/v1/models',
      search: '?x=1',
      key: null,
      body: null,
    });
    expect(mock.chatRequests()).toEqual([first]);
  });

  it('scripts, key info, models, requests and reset over HTTP', async () => {
    const control = (path: string, body?: unknown) =>
      fetch(
        `${mock.origin}/__mock/${path}`,
        body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
      );
    expect((await control('script', { key: KEY, replies: [{ status: 429 }, { status: 401 }] })).status).toBe(
      200,
    );
    await control('always', { key: OTHER, reply: { status: 500 } });
    await control('key-info', { key: 'sk-or-v1-dead', info: { status: 401 } });
    await control('models', { models: [{ id: 'x/y', pricing: { prompt: '0', completion: '0' } }] });
    expect((await chat({ model: 'x/y' })).status).toBe(429);
    expect((await chat({ model: 'x/y' })).status).toBe(401);
    expect((await chat({ model: 'x/y' })).status).toBe(200);
    expect((await chat({ model: 'openai/gpt-4o' })).status).toBe(400);
    expect((await chat({ model: 'x/y' }, OTHER)).status).toBe(500);
    expect((await get('/key', 'sk-or-v1-dead')).status).toBe(401);
    const listed = await jsonOf(await control('requests'));
    expect(listed.requests).toHaveLength(6);
    expect(listed.requests[0]).toMatchObject({ method: 'POST', key: KEY, body: { model: 'x/y' } });
    expect((await control('bogus', {})).status).toBe(404);
    expect((await control('script', { replies: [] })).status).toBe(400);
    await control('reset', {});
    expect(mock.requests).toHaveLength(0);
    expect((await chat({}, OTHER)).status).toBe(200);
    expect((await get('/key', 'sk-or-v1-dead')).status).toBe(200);
  });
});

describe('lifecycle and CLI', () => {
  it('close() ends hanging requests and open streams', async () => {
    const own = await startMockOpenRouter();
    own.script('*', { hang: true }, { sse: [{ comment: 'x' }, { delayMs: 60_000 }] });
    const hanging = fetch(`${own.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: '{}',
    });
    const streaming = await fetch(`${own.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: '{}',
    });
    const start = Date.now();
    await own.close();
    expect(Date.now() - start).toBeLessThan(1000);
    await expect(hanging).rejects.toThrow();
    await expect(streaming.text()).rejects.toThrow();
  });

  it('runs standalone and prints MOCK_URL', async () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /^MOCK_URL=(\S+)$/m.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`cli exited ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      const origin = url.slice(0, -'/api/v1'.length);
      await fetch(`${origin}/__mock/script`, {
        method: 'POST',
        body: JSON.stringify({ key: '*', replies: [{ status: 418 }] }),
      });
      expect(
        (
          await fetch(`${url}/chat/completions`, {
            method: 'POST',
            headers: { authorization: 'Bearer k' },
            body: '{}',
          })
        ).status,
      ).toBe(418);
      expect((await fetch(`${url}/models`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  }, 20_000);
});
