import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import worker from '../../src/runtime/workers/index';

// Real client SDKs, unmodified, against the Worker inside workerd: `@anthropic-ai/sdk` (create,
// stream, tool use), the `openai` SDK's responses.create (plain and streamed), and the AI SDK's
// default `openai()` provider. Each SDK's `fetch` calls the Worker's own fetch handler.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
type Json = Record<string, any>;

const ADMIN = 'test-admin-key-for-client-sdks';
const mockOrigin = inject('clientsMockOrigin');
const testEnv = {
  ...env,
  OPENROUTER_BASE_URL: inject('clientsMockUrl'),
  AUTH_KEY: ADMIN,
  UPSTREAM_TIMEOUT_MS: '1000',
  // Above the 1 s pause of the first-event test: the pause is upstream thinking, not a dead stream.
  STREAM_IDLE_TIMEOUT_MS: '5000',
};
const HOST = 'http://cloudrouter.test';
const pending: ExecutionContext[] = [];

/** The Worker as a `fetch` function, as the SDKs call it. */
const workerFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const ctx = createExecutionContext();
  pending.push(ctx);
  return worker.fetch(new Request(input, init), testEnv, ctx);
};

async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return workerFetch(`${HOST}/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function control(path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${mockOrigin}/__mock/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Json;
}

let clientKey = '';
beforeAll(async () => {
  const res = await admin('POST', '/client-keys', { name: 'sdk-tests' });
  expect(res.status).toBe(201);
  clientKey = ((await res.json()) as Json).key;
  const keys = await admin('POST', '/keys', {
    keys: ['sk-or-v1-clients-a-0123456789abcdef', 'sk-or-v1-clients-b-0123456789abcdef'],
  });
  expect(keys.status).toBe(201);
});
beforeEach(() => control('reset', {}));
afterEach(async () => {
  for (const ctx of pending.splice(0)) await waitOnExecutionContext(ctx);
});

const anthropic = () =>
  new Anthropic({ apiKey: clientKey, baseURL: HOST, fetch: workerFetch, maxRetries: 0 });
const openai = () =>
  new OpenAI({ apiKey: clientKey, baseURL: `${HOST}/v1`, fetch: workerFetch, maxRetries: 0 });
const weather = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('@anthropic-ai/sdk on the Worker', () => {
  it('creates a message, and errors come in Anthropic shape', async () => {
    const message = await anthropic().messages.create({
      model: 'anthropic/claude-3.5-sonnet',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello! How can I help you today?' });
    const err = await anthropic()
      .messages.create({ model: 'nope/nope', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('streams a message', async () => {
    const stream = anthropic().messages.stream({
      model: 'anthropic/claude-3.5-sonnet',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const final = await stream.finalMessage();
    expect(texts.join('')).toBe('Hello! How can I help you today?');
    expect(final.usage.output_tokens).toBe(9);
  });

  it('hands message_start to the client as soon as upstream sends it, then the rest', async () => {
    await control('script', {
      key: '*',
      replies: [
        {
          sse: [
            { raw: 'event: message_start\ndata: {"type":"message_start","message":{"id":"m1"}}\n\n' },
            { delayMs: 1000 },
            {
              raw: 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
            },
            { raw: 'event: message_stop\ndata: {"type":"message_stop"}\n\n' },
          ],
        },
      ],
    });
    const res = await workerFetch(`${HOST}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': clientKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'anthropic/claude-3.5-sonnet',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const first = decoder.decode((await reader.read()).value);
    // The rest is still held upstream: the first event came through alone, not with what follows.
    expect(first).toContain('event: message_start');
    expect(first).not.toContain('content_block_start');
    let all = first;
    for (let step = await reader.read(); !step.done; step = await reader.read())
      all += decoder.decode(step.value);
    expect(all).toContain('event: content_block_start');
    expect(all).toContain('event: message_stop');
  });

  it('uses a tool, plain and streamed', async () => {
    const body = {
      model: 'anthropic/claude-3.5-sonnet',
      max_tokens: 100,
      tools: [weather],
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
    };
    const plain = await anthropic().messages.create(body);
    expect(plain.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
    const streamed = await anthropic().messages.stream(body).finalMessage();
    expect(streamed.content[0]).toMatchObject({ type: 'tool_use', input: { city: 'Paris' } });
  });
});

describe('the openai SDK responses.create on the Worker', () => {
  it('answers plain and streamed', async () => {
    const plain = await openai().responses.create({ model: 'openai/gpt-4o-mini', input: 'Hi' });
    expect(plain.output_text).toBe('Hello! How can I help you today?');
    const stream = await openai().responses.create({
      model: 'openai/gpt-4o-mini',
      input: 'Hi',
      stream: true,
    });
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    expect(text).toBe('Hello! How can I help you today?');
  });
});

describe('the AI SDK default openai() provider on the Worker', () => {
  const model = () =>
    createOpenAI({ apiKey: clientKey, baseURL: `${HOST}/v1`, fetch: workerFetch })('openai/gpt-4o-mini');

  it('generates and streams text', async () => {
    const plain = await generateText({ model: model(), prompt: 'Hi', maxRetries: 0 });
    expect(plain.text).toBe('Hello! How can I help you today?');
    const streamed = streamText({ model: model(), prompt: 'Hi', maxRetries: 0 });
    let text = '';
    for await (const part of streamed.textStream) text += part;
    expect(text).toBe('Hello! How can I help you today?');
  });

  it('calls a tool', async () => {
    const answer = await generateText({
      model: model(),
      prompt: 'Weather in Paris?',
      maxRetries: 0,
      tools: {
        get_weather: tool({
          description: 'Weather of a city',
          inputSchema: jsonSchema<{ city: string }>(weather.input_schema),
        }),
      },
    });
    expect(answer.toolCalls[0]).toMatchObject({ toolName: 'get_weather', input: { city: 'Paris' } });
  });
});
