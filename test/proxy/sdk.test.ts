import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validator } from '../mock-openrouter/specs';
import { type Harness, type Json, startHarness, upstreamKey } from './harness';

// A shared 2-core machine: generous bounds; no test asserts on wall-clock speed.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// The `openai` SDK (maxRetries 0) pointed at the Node proxy, as a user would point it.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.addKeys(upstreamKey('good'));
});
afterAll(() => h?.close());

const openaiChat = validator('openai CreateChatCompletionResponse');
const orChat = validator('openrouter ChatResult');
const openaiChunk = validator('openai CreateChatCompletionStreamResponse');
const orChunk = validator('openrouter ChatStreamChunk');
const openaiModels = validator('openai ListModelsResponse');
const openaiEmbedding = validator('openai CreateEmbeddingResponse');
const openaiCompletion = validator('openai CreateCompletionResponse');

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe.each(['/v1', '/api/v1'] as const)('the openai SDK on %s', (base) => {
  it('gets a plain chat answer', async () => {
    const { data, response } = await h
      .openai(base)
      .chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    openaiChat(data);
    orChat(data);
    expect(data.choices[0].message.content).toBe('Hello! How can I help you today?');
    expect(data.choices[0].finish_reason).toBe('stop');
    expect(response.headers.get('x-cloudrouter-attempts')).toBe('1');
  });

  it('streams a chat answer with usage at the end', async () => {
    const stream = await h.openai(base).chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: Json[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks) {
      openaiChunk(chunk);
      orChunk(chunk);
    }
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('Hello! How can I help you today?');
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'stop')).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: 9, total_tokens: expect.any(Number) });
  });

  it('streams tool-call deltas that add up to the call', async () => {
    const stream = await h.openai(base).chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      stream: true,
    });
    const chunks: Json[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks) {
      openaiChunk(chunk);
      orChunk(chunk);
    }
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather' } });
    const args = calls.map((call: Json) => call.function?.arguments ?? '').join('');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'tool_calls')).toBe(true);
  });

  it('lists the models, OpenAI-shaped', async () => {
    const page = await h.openai(base).models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toContain('openai/gpt-4o-mini');
    expect(ids).toContain('openai/text-embedding-3-small');
    const res = await fetch(`${h.url}${base}/models`, {
      headers: { authorization: `Bearer ${h.clientKey}` },
    });
    expect(res.status).toBe(200);
    const raw = (await res.json()) as Json;
    openaiModels(raw);
    expect(raw.data.length).toBe(page.data.length);
  });

  it('gets an embedding (the SDK asks for base64 and decodes it)', async () => {
    const data = await h
      .openai(base)
      .embeddings.create({ model: 'openai/text-embedding-3-small', input: ['one', 'two'] });
    openaiEmbedding(data);
    expect(data.data).toHaveLength(2);
    expect(data.data[0].embedding.length).toBeGreaterThan(8);
    expect(data.data[0].embedding.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('gets a legacy completion', async () => {
    const data = await h.openai(base).completions.create({ model: 'openai/gpt-4o-mini', prompt: 'Say' });
    openaiCompletion(data);
    expect(data.choices[0].text).toBe(' This is a mock completion.');
  });

  it('reads an upstream error as an APIError with its status, message and code', async () => {
    const error = await h
      .openai(base)
      .chat.completions.create({ model: 'nobody/no-such-model', messages: [{ role: 'user', content: 'x' }] })
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ status: 400, code: 400 });
    expect((error as Error).message).toContain('not a valid model ID');
  });
});
