import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { chatBody, type Harness, type Json, sseData, startHarness, upstreamKey } from './harness';

// A shared 2-core machine: generous bounds; no test asserts on wall-clock speed.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// RETRY_EMPTY_ANSWERS: off by default; on, an empty 200 moves to another key.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ MAX_ATTEMPTS: '3' });
});
afterEach(async () => {
  await h.clearKeys();
  h.mock.reset();
  await h.admin('PUT', '/settings', { retry_empty_answers: null });
});
afterAll(() => h?.close());

const chunk = (delta: Json, finish: string | null = null) => ({
  id: 'gen-empty',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'openai/gpt-4o-mini',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const emptyAnswer = {
  id: 'gen-empty',
  object: 'chat.completion',
  created: 1,
  model: 'openai/gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 },
};
const emptyStream = [
  { comment: 'OPENROUTER PROCESSING' },
  chunk({ role: 'assistant', content: '' }),
  chunk({}, 'stop'),
  { done: true as const },
];

/** Two keys: the conversation's first key answers empty, the other as usual. */
async function oneEmptyKey(reply: Json): Promise<void> {
  const [a, b] = [upstreamKey('ea'), upstreamKey('eb')];
  await h.addKeys(a, b);
  // Find the key this conversation goes to first, and make it the empty one.
  const probe = await h.post('/v1/chat/completions', chatBody());
  expect(probe.status).toBe(200);
  const first = h.mock.chatRequests()[0].key!;
  h.mock.reset();
  h.mock.always(first, reply);
}

const turnOn = async () =>
  expect((await h.admin('PUT', '/settings', { retry_empty_answers: true })).status).toBe(200);

describe('an empty answer', () => {
  it('is returned as it came by default (one attempt)', async () => {
    await oneEmptyKey({ body: emptyAnswer });
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('1');
    expect(((await res.json()) as Json).choices[0].message.content).toBe('');
  });

  it('is retried on another key when RETRY_EMPTY_ANSWERS is on, counting as an attempt', async () => {
    await oneEmptyKey({ body: emptyAnswer });
    await turnOn();
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('2');
    expect(((await res.json()) as Json).choices[0].message.content).toBe('Hello! How can I help you today?');
    expect(new Set(h.mock.chatRequests().map((r) => r.key)).size).toBe(2);
  });

  it('comes back as it came when every key answers empty', async () => {
    await h.addKeys(upstreamKey('e1'), upstreamKey('e2'));
    h.mock.always('*', { body: emptyAnswer });
    await turnOn();
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('2');
    expect(((await res.json()) as Json).choices[0].message.content).toBe('');
  });

  it('streamed: is passed through by default, retried before any content when on', async () => {
    await oneEmptyKey({ sse: emptyStream });
    const plain = await h.post('/v1/chat/completions', chatBody({ stream: true }));
    expect(plain.headers.get('x-cloudrouter-attempts')).toBe('1');
    expect(
      sseData(await plain.text())
        .map((e) => e.choices[0].delta.content ?? '')
        .join(''),
    ).toBe('');

    await turnOn();
    const res = await h.post('/v1/chat/completions', chatBody({ stream: true }));
    const text = await res.text();
    const events = sseData(text);
    // The client got the second key's stream whole, and none of the empty one's events.
    expect(events.map((e) => e.choices?.[0]?.delta?.content ?? '').join('')).toBe(
      'Hello! How can I help you today?',
    );
    expect(events.filter((e) => e.id === 'gen-empty')).toHaveLength(0);
    expect(text.match(/data: \[DONE\]/g)).toHaveLength(1);
  });
});
