import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { validator } from '../mock-openrouter/specs';
import { type Harness, type Json, startHarness, upstreamKey } from './harness';

// OpenAI Responses through CloudRouter, with the real `openai` SDK (responses.create) and the
// AI SDK's default `openai()` provider, which calls POST /v1/responses.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ STREAM_IDLE_TIMEOUT_MS: '1500' });
  await h.addKeys(upstreamKey('a'), upstreamKey('b'));
});
afterAll(() => h?.close());
beforeEach(() => h.mock.reset());

const MODEL = 'openai/gpt-4o-mini';
const result = validator('openrouter OpenResponsesResult');
const responsesRequests = () => h.mock.requests.filter((r) => r.path === '/api/v1/responses');

describe('the openai SDK: responses.create', () => {
  it('answers a plain response', async () => {
    const { data, response } = await h
      .openai()
      .responses.create({ model: MODEL, input: 'Hi' })
      .withResponse();
    result(data);
    expect(data.output_text).toBe('Hello! How can I help you today?');
    expect(response.headers.get('x-cloudrouter-attempts')).toBe('1');
    expect(responsesRequests()).toHaveLength(1);
  });

  it('streams a response, with usage in response.completed', async () => {
    const stream = await h.openai().responses.create({ model: MODEL, input: 'Hi', stream: true });
    let text = '';
    let completed: Json | null = null;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response as Json;
    }
    expect(text).toBe('Hello! How can I help you today?');
    expect(completed?.usage.output_tokens).toBe(9);
  });

  it('records usage and cost of plain and streamed responses', async () => {
    const plain = await h.openai().responses.create({ model: MODEL, input: 'record me' });
    const stream = await h.openai().responses.create({ model: MODEL, input: 'record me', stream: true });
    for await (const _ of stream);
    const lines = ((await (await h.admin('GET', '/logs?limit=10')).json()) as Json).data as Json[];
    const mine = lines.filter((l) => l.route === '/responses').slice(0, 2);
    expect(mine).toHaveLength(2);
    for (const line of mine) {
      expect(line.prompt_tokens).toBe(plain.usage?.input_tokens);
      expect(line.completion_tokens).toBe(9);
      expect(line.cost).toBeGreaterThan(0);
    }
  });

  it('moves a stream whose first event is an error to another key', async () => {
    const failed = {
      raw: `event: error\ndata: ${JSON.stringify({ type: 'error', code: 'rate_limit_exceeded', message: 'slow down', param: null, sequence_number: 0 })}\n\n`,
    };
    h.mock.script('*', { sse: [{ comment: 'OPENROUTER PROCESSING' }, failed] });
    const stream = await h.openai().responses.create({ model: MODEL, input: 'Hi', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe('response.created');
    expect(types).not.toContain('error');
    expect(responsesRequests()).toHaveLength(2);
  });

  it('ends a stream cut mid-way with an error event, which the SDK raises', async () => {
    h.mock.always('*', { dropAfter: 5 });
    const stream = await h.openai().responses.create({ model: MODEL, input: 'Hi', stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toMatch(/upstream/i);
    expect(seen).toContain('response.output_text.delta');
    const raw = await h.post('/v1/responses', { model: MODEL, input: 'Hi', stream: true });
    const text = await raw.text();
    const last = text.trim().split('\n\n').at(-1) ?? '';
    expect(last.startsWith('event: error\n')).toBe(true);
    const data = JSON.parse(last.slice(last.indexOf('data:') + 5)) as Json;
    expect(data).toMatchObject({ type: 'error', code: 'server_error', param: null });
    expect(data.sequence_number).toBe(5);
    h.mock.always('*', null);
  });

  it('answers errors in OpenAI shape', async () => {
    const err = await h
      .openai()
      .responses.create({ model: 'nope/nope', input: 'Hi' })
      .catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(400);
    expect((err as { error?: Json }).error).toMatchObject({ message: expect.any(String) });
  });
});

describe('the AI SDK default openai() provider (Responses)', () => {
  const provider = () => createOpenAI({ apiKey: h.clientKey, baseURL: `${h.url}/v1` });

  it('generates text', async () => {
    const answer = await generateText({ model: provider()(MODEL), prompt: 'Hi', maxRetries: 0 });
    expect(answer.text).toBe('Hello! How can I help you today?');
    expect(answer.usage.outputTokens).toBe(9);
    expect(responsesRequests()).toHaveLength(1);
  });

  it('streams text', async () => {
    const answer = streamText({ model: provider()(MODEL), prompt: 'Hi', maxRetries: 0 });
    let text = '';
    for await (const part of answer.textStream) text += part;
    expect(text).toBe('Hello! How can I help you today?');
    expect((await answer.usage).outputTokens).toBe(9);
    expect(await answer.finishReason).toBe('stop');
  });

  it('calls a tool', async () => {
    const answer = await generateText({
      model: provider()(MODEL),
      prompt: 'Weather in Paris?',
      maxRetries: 0,
      tools: {
        get_weather: tool({
          description: 'Weather of a city',
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          }),
        }),
      },
    });
    expect(answer.toolCalls[0]).toMatchObject({ toolName: 'get_weather', input: { city: 'Paris' } });
  });
});
