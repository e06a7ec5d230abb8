import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockOpenRouter, startMockOpenRouter } from './index.js';
import { validator } from './specs.js';

// The mock's /messages, /responses, /generation and /models/{id}/endpoints, held to OpenRouter's schemas.

const KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';
const OTHER = 'sk-or-v1-fedcba9876543210fedcba9876543210';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers keep the assertions short
type Json = Record<string, any>;

let mock: MockOpenRouter;
beforeAll(async () => {
  mock = await startMockOpenRouter();
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

function post(path: string, body: unknown, key = KEY) {
  return fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

/** The SSE messages of a stream as `{event, data}`. */
async function events(res: Response): Promise<{ event: string | null; data: Json }[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => {
      const lines = block.split('\n');
      const event =
        lines
          .find((l) => l.startsWith('event:'))
          ?.slice(6)
          .trim() ?? null;
      const data = JSON.parse(lines.find((l) => l.startsWith('data:'))!.slice(5)) as Json;
      return { event, data };
    });
}

const weather = {
  name: 'get_weather',
  input_schema: { type: 'object', properties: { city: { type: 'string' } } },
};

describe('/messages', () => {
  const result = validator('openrouter MessagesResult');
  const message = validator('openrouter MessagesStreamingResponse');
  const error = validator('openrouter AnthropicMessagesErrorResponse');
  const base = {
    model: 'anthropic/claude-3.5-sonnet',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'Hi' }],
  };

  it('answers text and a tool call in the schema', async () => {
    const res = await post('/messages', base);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-generation-id')).toMatch(/^gen-/);
    const body = (await res.json()) as Json;
    result(body);
    expect(body.content[0].text).toBe('Hello! How can I help you today?');
    expect(body.usage.cost).toBeGreaterThan(0);
    const tool = (await (await post('/messages', { ...base, tools: [weather] })).json()) as Json;
    result(tool);
    expect(tool.stop_reason).toBe('tool_use');
    expect(tool.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
  });

  it('streams events in the schema, with the event names Anthropic frames them by', async () => {
    for (const body of [base, { ...base, tools: [weather] }]) {
      const list = await events(await post('/messages', { ...body, stream: true }));
      for (const e of list) {
        message(e);
        expect(e.event).toBe(e.data.type);
      }
      expect(list[0].event).toBe('message_start');
      expect(list.at(-1)?.event).toBe('message_stop');
      expect(list.at(-2)?.data.usage.output_tokens).toBeGreaterThan(0);
    }
  });

  it('answers in text once the tool s result is back, as an agent loop expects', async () => {
    const call = (await (await post('/messages', { ...base, tools: [weather] })).json()) as Json;
    const next = {
      ...base,
      tools: [weather],
      messages: [
        ...base.messages,
        { role: 'assistant', content: call.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call.content[0].id, content: 'Sunny' }],
        },
      ],
    };
    const answer = (await (await post('/messages', next)).json()) as Json;
    result(answer);
    expect(answer.stop_reason).toBe('end_turn');
  });

  it('answers errors in Anthropic shape', async () => {
    const res = await post('/messages', { ...base, model: 'nope/nope' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    error(body);
    expect(body.error.type).toBe('invalid_request_error');
  });
});

describe('/responses', () => {
  const result = validator('openrouter OpenResponsesResult');
  const streamed = validator('openrouter ResponsesStreamingResponse');
  const base = { model: 'openai/gpt-4o-mini', input: 'Hi' };
  const fn = { type: 'function', name: 'get_weather', parameters: weather.input_schema };

  it('answers text and a function call in the schema', async () => {
    const body = (await (await post('/responses', base)).json()) as Json;
    result(body);
    expect(body.output[0].content[0].text).toBe('Hello! How can I help you today?');
    expect(body.usage.total_tokens).toBe(body.usage.input_tokens + body.usage.output_tokens);
    const call = (await (await post('/responses', { ...base, tools: [fn] })).json()) as Json;
    result(call);
    expect(call.output[0]).toMatchObject({
      type: 'function_call',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    });
  });

  it('streams events in the schema, numbered, with usage in response.completed', async () => {
    for (const body of [base, { ...base, tools: [fn] }]) {
      const list = await events(await post('/responses', { ...body, stream: true }));
      list.forEach((e, i) => {
        streamed({ data: e.data });
        expect(e.data.sequence_number).toBe(i);
      });
      expect(list[0].event).toBe('response.created');
      expect(list.at(-1)?.data.response.usage.cost).toBeGreaterThan(0);
    }
  });

  it('refuses stored responses, as OpenRouter (stateless) does', async () => {
    expect((await post('/responses', { ...base, store: true })).status).toBe(400);
  });
});

describe('side calls', () => {
  it('GET /generation answers only the key that made it', async () => {
    const made = await post('/chat/completions', {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const id = made.headers.get('x-generation-id');
    expect(id).toMatch(/^gen-/);
    const ask = (key: string) =>
      fetch(`${mock.url}/generation?id=${id}`, { headers: { authorization: `Bearer ${key}` } });
    const mine = await ask(KEY);
    expect(mine.status).toBe(200);
    validator('openrouter GenerationResponse')(await mine.json());
    expect((await ask(OTHER)).status).toBe(404);
  });

  it('GET /models/{author}/{slug}/endpoints answers a catalogue model', async () => {
    const res = await fetch(`${mock.url}/models/openai/gpt-4o-mini/endpoints`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).data.id).toBe('openai/gpt-4o-mini');
    expect((await fetch(`${mock.url}/models/no/such/endpoints`)).status).toBe(404);
  });
});
