import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, type Json, startHarness, upstreamKey } from './harness';

// A shared 2-core machine: generous bounds; no test asserts on wall-clock speed.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// Conversations keep their key (CONVERSATION_AFFINITY, on by default), through the real Node server.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ MAX_ATTEMPTS: '4' });
});
afterEach(async () => {
  await h.clearKeys();
  h.mock.reset();
  await h.admin('PUT', '/settings', { conversation_affinity: null });
});
afterAll(() => h?.close());

/** The body of turn `turn` (1-based) of a chat conversation that opened with `first`. */
function turnBody(first: string, turn: number): Json {
  const messages: Json[] = [
    { role: 'system', content: 'You are a careful assistant.' },
    { role: 'user', content: first },
  ];
  for (let t = 1; t < turn; t++)
    messages.push(
      { role: 'assistant', content: `Answer ${t}.` },
      { role: 'user', content: `Follow-up ${t}?` },
    );
  return { model: 'openai/gpt-4o-mini', messages };
}

/** The upstream keys the mock saw, one per upstream chat request, in order. */
const keysSeen = () => h.mock.chatRequests().map((r) => r.key ?? '(none)');

async function turn(first: string, n: number, headers?: Record<string, string>): Promise<Response> {
  const res = await h.post('/v1/chat/completions', turnBody(first, n), { headers });
  expect(res.status, await res.clone().text()).toBe(200);
  return res;
}

async function addPool(n: number): Promise<string[]> {
  const secrets = Array.from({ length: n }, (_, i) => upstreamKey(`k${i}`));
  await h.addKeys(...secrets);
  return secrets;
}

describe('a conversation through the proxy', () => {
  it('sends all ten turns to one key, and another key only after that key fails, then stays there', async () => {
    await addPool(5);
    for (let t = 1; t <= 10; t++) await turn('Plan a week in Lisbon', t);
    const first = keysSeen();
    expect(first).toHaveLength(10);
    expect(new Set(first).size).toBe(1);
    const home = first[0];

    // Its key fails with a provider error (the key stays active): the turn moves to another key.
    h.mock.always(home, { status: 500 });
    const moved = await turn('Plan a week in Lisbon', 11);
    expect(moved.headers.get('x-cloudrouter-attempts')).toBe('2');
    const next = keysSeen().at(-1)!;
    expect(next).not.toBe(home);

    // The home key works again, but the conversation stays on its new key.
    h.mock.always(home, null);
    h.mock.reset();
    for (let t = 12; t <= 16; t++) await turn('Plan a week in Lisbon', t);
    expect(keysSeen()).toEqual(Array(5).fill(next));
  });

  it('spreads different conversations over the keys, each on one key', async () => {
    await addPool(4);
    const placed = new Map<string, string>();
    for (let c = 0; c < 40; c++) {
      h.mock.reset();
      for (let t = 1; t <= 3; t++) await turn(`Question number ${c}`, t);
      const seen = new Set(keysSeen());
      expect(seen.size).toBe(1);
      placed.set(`Question number ${c}`, [...seen][0]);
    }
    const perKey = new Map<string, number>();
    for (const key of placed.values()) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    expect(perKey.size).toBe(4);
  });

  it('follows the session header Claude Code sends, whatever the messages', async () => {
    await addPool(6);
    for (let c = 0; c < 8; c++)
      await turn(`Unrelated opening ${c}`, 1, { 'x-claude-code-session-id': 'b2a1c3d4-session' });
    expect(new Set(keysSeen()).size).toBe(1);
  });

  it('keeps an Anthropic Messages conversation and an OpenAI Responses one on their keys', async () => {
    await addPool(5);
    for (let t = 1; t <= 6; t++) {
      const res = await h.post('/v1/messages', {
        model: 'anthropic/claude-3.5-sonnet',
        max_tokens: 100,
        system: 'You are Claude Code.',
        messages: [
          { role: 'user', content: 'Fix the failing test' },
          ...Array.from({ length: t - 1 }, (_, i) => [
            { role: 'assistant', content: `Step ${i}` },
            { role: 'user', content: `Go on ${i}` },
          ]).flat(),
        ],
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const body = {
        model: 'openai/gpt-4o-mini',
        instructions: 'You are Codex.',
        input: [
          { role: 'user', content: [{ type: 'input_text', text: 'Refactor the parser' }] },
          ...Array.from({ length: t - 1 }, (_, i) => ({ role: 'user', content: `More ${i}` })),
        ],
      };
      const answered = await h.post('/v1/responses', body);
      expect(answered.status, await answered.clone().text()).toBe(200);
    }
    const seen = (path: string) => h.mock.requests.filter((r) => r.path.endsWith(path)).map((r) => r.key);
    expect(seen('/messages')).toHaveLength(6);
    expect(new Set(seen('/messages')).size).toBe(1);
    expect(seen('/responses')).toHaveLength(6);
    expect(new Set(seen('/responses')).size).toBe(1);
  });

  it('keeps a /completions prompt with a cacheable prefix on one key; short prompts and embeddings rotate', async () => {
    await addPool(5);
    const opening = 'You are a story teller. Continue the story. '.repeat(100);
    const keysOf = (path: string) => h.mock.requests.filter((r) => r.path.endsWith(path)).map((r) => r.key);
    for (let t = 1; t <= 10; t++) {
      const prompt = `${opening}${'\nReader: and then?\nTeller: the dragon woke.'.repeat(t)}`;
      const res = await h.post('/v1/completions', { model: 'deepseek/deepseek-coder', prompt });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    expect(keysOf('/completions')).toHaveLength(10);
    expect(new Set(keysOf('/completions')).size).toBe(1);
    h.mock.reset();
    for (let t = 1; t <= 10; t++) {
      const short = await h.post('/v1/completions', {
        model: 'deepseek/deepseek-coder',
        prompt: 'Once',
      });
      expect(short.status).toBe(200);
      const embedded = await h.post('/v1/embeddings', {
        model: 'openai/text-embedding-3-small',
        input: opening,
      });
      expect(embedded.status, await embedded.clone().text()).toBe(200);
    }
    expect(new Set(keysOf('/completions')).size).toBe(5);
    expect(new Set(keysOf('/embeddings')).size).toBe(5);
  });

  it('rotates by request again when the admin turns it off', async () => {
    await addPool(5);
    const res = await h.admin('PUT', '/settings', { conversation_affinity: false });
    expect(((await res.json()) as Json).settings.conversation_affinity).toBe(false);
    for (let t = 1; t <= 10; t++) await turn('Plan a week in Lisbon', t);
    expect(new Set(keysSeen()).size).toBe(5);
  });
});
