import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { validator } from '../mock-openrouter/specs';
import { type Harness, type Json, startHarness, upstreamKey } from './harness';

// Anthropic Messages through CloudRouter, with the real `@anthropic-ai/sdk` (maxRetries 0)
// pointed at the Node proxy as Claude Code is: the bare host as base URL, `/v1/messages` called.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let h: Harness;

const secrets = [upstreamKey('a'), upstreamKey('b')];
beforeAll(async () => {
  h = await startHarness({ STREAM_IDLE_TIMEOUT_MS: '1500' });
  await h.addKeys(...secrets);
});
afterAll(() => h?.close());
beforeEach(() => h.mock.reset());

const MODEL = 'anthropic/claude-3.5-sonnet';
const result = validator('openrouter MessagesResult');
const weather: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function anthropic(opts: { auth?: 'x-api-key' | 'bearer'; base?: string } = {}): Anthropic {
  const key = opts.auth === 'bearer' ? { authToken: h.clientKey, apiKey: null } : { apiKey: h.clientKey };
  return new Anthropic({ ...key, baseURL: `${h.url}${opts.base ?? ''}`, maxRetries: 0, timeout: 20_000 });
}

const messagesRequests = () => h.mock.requests.filter((r) => r.path === '/api/v1/messages');

/** The SSE messages of a raw stream as `{event, data}`. */
function events(text: string): { event: string | null; data: Json }[] {
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
      return { event, data: JSON.parse(lines.find((l) => l.startsWith('data:'))!.slice(5)) as Json };
    });
}

describe('the Anthropic SDK through CloudRouter', () => {
  it('creates a message with x-api-key, and anthropic-version reaches OpenRouter', async () => {
    const { data, response } = await anthropic()
      .messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    result(data);
    expect(data.content[0]).toMatchObject({ type: 'text', text: 'Hello! How can I help you today?' });
    expect(data.stop_reason).toBe('end_turn');
    expect(response.headers.get('x-cloudrouter-attempts')).toBe('1');
    expect(response.headers.get('x-generation-id')).toBe(data.id);
    const sent = messagesRequests()[0];
    expect(sent.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sent.key).toMatch(/^sk-or-v1-/);
    expect(sent.headers['x-api-key']).toBeUndefined();
  });

  it('takes the client key as a Bearer token too (ANTHROPIC_AUTH_TOKEN), and passes anthropic-beta', async () => {
    const data = await anthropic({ auth: 'bearer' }).messages.create(
      { model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] },
      { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } },
    );
    expect(data.content[0]).toMatchObject({ type: 'text' });
    expect(messagesRequests()[0].headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
  });

  it('streams a message as it arrives, with the final usage', async () => {
    const stream = anthropic().messages.stream({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const final = await stream.finalMessage();
    expect(texts.join('')).toBe('Hello! How can I help you today?');
    expect(texts.length).toBe(9);
    expect(final.usage.output_tokens).toBe(9);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('uses a tool, plain and streamed', async () => {
    const client = anthropic();
    const body = {
      model: MODEL,
      max_tokens: 100,
      tools: [weather],
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
    };
    const plain = await client.messages.create(body);
    expect(plain.stop_reason).toBe('tool_use');
    expect(plain.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
    const streamed = await client.messages.stream(body).finalMessage();
    expect(streamed.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
    const use = plain.content[0] as Anthropic.ToolUseBlock;
    const answer = await client.messages.create({
      ...body,
      messages: [
        ...body.messages,
        { role: 'assistant', content: plain.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Sunny, 21 °C' }] },
      ],
      tool_choice: { type: 'none' },
    });
    expect(answer.content[0]).toMatchObject({ type: 'text' });
  });

  it('counts tokens (an estimate made by CloudRouter; nothing goes upstream)', async () => {
    const count = await anthropic().messages.countTokens({
      model: MODEL,
      system: 'x'.repeat(400),
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(count.input_tokens).toBeGreaterThan(100);
    expect(count.input_tokens).toBeLessThan(120);
    expect(h.mock.requests).toHaveLength(0);
  });

  it('records usage and cost of plain and streamed messages', async () => {
    const client = anthropic();
    const plain = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'record me' }],
    });
    await client.messages
      .stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'record me' }] })
      .finalMessage();
    const lines = ((await (await h.admin('GET', '/logs?limit=10')).json()) as Json).data as Json[];
    const mine = lines.filter((l) => l.route === '/messages').slice(0, 2);
    expect(mine).toHaveLength(2);
    for (const line of mine) {
      expect(line.prompt_tokens).toBe(plain.usage.input_tokens);
      expect(line.completion_tokens).toBe(9);
      expect(line.cost).toBeGreaterThan(0);
    }
    expect(mine.map((l) => l.stream).sort()).toEqual([false, true]);
  });
});

describe('failover and errors on /v1/messages', () => {
  it('moves to another key when the first is rate limited or overloaded', async () => {
    // Whichever key goes first is overloaded; the other serves.
    h.mock.script('*', { status: 529 });
    const { data, response } = await anthropic()
      .messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text' });
    expect(Number(response.headers.get('x-cloudrouter-attempts'))).toBeGreaterThanOrEqual(2);
  });

  it('moves a stream whose first event is an error to another key; the client sees one clean stream', async () => {
    const overloaded = {
      raw: `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`,
    };
    h.mock.script('*', { sse: [{ comment: 'OPENROUTER PROCESSING' }, overloaded] });
    const res = await h.post('/v1/messages', {
      model: MODEL,
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const list = events(await res.text());
    expect(list.map((e) => e.event)).not.toContain('error');
    expect(list[0].event).toBe('message_start');
    expect(list.at(-1)?.event).toBe('message_stop');
    expect(messagesRequests().length).toBe(2);
  });

  it('ends a stream cut mid-way with an Anthropic error event, which the SDK raises', async () => {
    h.mock.always('*', { dropAfter: 4 });
    const stream = anthropic().messages.stream({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await expect(stream.finalMessage()).rejects.toThrow(/upstream/i);
    h.mock.always('*', { dropAfter: 4 });
    const raw = await h.post('/v1/messages', {
      model: MODEL,
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const list = events(await raw.text());
    expect(list.at(-1)).toMatchObject({
      event: 'error',
      data: { type: 'error', error: { type: 'api_error' } },
    });
    h.mock.always('*', null);
  });

  it('ends a stream that goes quiet with an error event, never a hang', async () => {
    h.mock.always('*', {
      sse: [
        { raw: 'event: message_start\ndata: {"type":"message_start","message":{}}\n\n' },
        { delayMs: 10_000 },
      ],
    });
    const raw = await h.post('/v1/messages', {
      model: MODEL,
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const list = events(await raw.text());
    expect(list.at(-1)?.event).toBe('error');
    expect(list.at(-1)?.data.error.message).toMatch(/sent nothing/);
    h.mock.always('*', null);
  });

  it('hands the first event to the client as soon as upstream sends it', async () => {
    const rest = [
      {
        raw: 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
      },
      { raw: 'event: message_stop\ndata: {"type":"message_stop"}\n\n' },
    ];
    h.mock.script('*', {
      sse: [
        { raw: 'event: message_start\ndata: {"type":"message_start","message":{"id":"m1"}}\n\n' },
        { delayMs: 1000 },
        ...rest,
      ],
    });
    const res = await h.post('/v1/messages', {
      model: MODEL,
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    // The rest is still held upstream: the first event came through alone.
    expect(first).toContain('event: message_start');
    expect(first).not.toContain('message_stop');
    let all = first;
    for (let step = await reader.read(); !step.done; step = await reader.read())
      all += new TextDecoder().decode(step.value);
    expect(all).toContain('event: message_stop');
  });

  it('answers errors in Anthropic shape, which the SDK reads', async () => {
    const noKey = await h.post('/v1/messages', { model: MODEL, messages: [] }, { auth: null });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: expect.stringContaining('x-api-key') },
    });
    const bad = anthropic();
    const err = await bad.messages
      .create({ model: 'nope/nope', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
  });

  it('answers a failure of every key in Anthropic shape, with the contract s status', async () => {
    h.mock.always('*', { status: 500 });
    const err = await anthropic()
      .messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    h.mock.always('*', null);
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    const e = err as InstanceType<typeof Anthropic.InternalServerError>;
    expect(e.status).toBe(502);
    expect(e.error).toMatchObject({
      type: 'error',
      error: { type: 'api_error', message: expect.any(String) },
    });
    expect(e.headers?.get('x-cloudrouter-attempts')).toBe('2');
  });
});
