import { describe, expect, it } from 'vitest';
import { CACHEABLE_PREFIX_CHARS, conversationOf } from './conversation-identity';

const noHeaders = () => undefined;
const headers = (map: Record<string, string>) => (name: string) => map[name];

/** A chat request at turn `turns` of a conversation that opened with `system` and `first`. */
function chatTurn(system: string, first: string, turns: number): Record<string, unknown> {
  const messages: unknown[] = [
    { role: 'system', content: system },
    { role: 'user', content: first },
  ];
  for (let t = 1; t < turns; t++)
    messages.push({ role: 'assistant', content: `answer ${t}` }, { role: 'user', content: `question ${t}` });
  return { model: 'openai/gpt-4o-mini', messages };
}

describe('conversationOf', () => {
  it('names every turn of a chat conversation alike, and other conversations apart', () => {
    const turns = Array.from({ length: 10 }, (_, t) =>
      conversationOf(chatTurn('You are terse.', 'Plan a trip', t + 1), 'chat', noHeaders),
    );
    expect(turns[0]).not.toBeNull();
    expect(new Set(turns).size).toBe(1);
    expect(conversationOf(chatTurn('You are terse.', 'Plan a party', 1), 'chat', noHeaders)).not.toBe(
      turns[0],
    );
    expect(conversationOf(chatTurn('You are verbose.', 'Plan a trip', 1), 'chat', noHeaders)).not.toBe(
      turns[0],
    );
  });

  it('prefers session_id, then prompt_cache_key, then a session header, over the opening', () => {
    const body = chatTurn('s', 'u', 1);
    const opening = conversationOf(body, 'chat', noHeaders);
    const bySession = conversationOf({ ...body, session_id: 'abc' }, 'chat', noHeaders);
    const byCacheKey = conversationOf({ ...body, prompt_cache_key: 'abc' }, 'chat', noHeaders);
    const byHeader = conversationOf(body, 'chat', headers({ 'x-claude-code-session-id': 'abc' }));
    expect(bySession).not.toBe(opening);
    // The same id names the same conversation wherever a client puts it.
    expect(byCacheKey).toBe(bySession);
    expect(byHeader).toBe(bySession);
    expect(conversationOf({ ...body, session_id: 'abc', prompt_cache_key: 'other' }, 'chat', noHeaders)).toBe(
      bySession,
    );
    for (const name of ['session_id', 'x-session-id', 'session-id', 'conversation_id'])
      expect(conversationOf(body, 'chat', headers({ [name]: 'abc' }))).toBe(bySession);
    // Another session with the same opening is another conversation.
    expect(conversationOf({ ...body, session_id: 'xyz' }, 'chat', noHeaders)).not.toBe(bySession);
  });

  it('reads the opening of Anthropic Messages and OpenAI Responses', () => {
    const messages = (first: string, turns: number) => ({
      system: [{ type: 'text', text: 'You are Claude Code.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: first }] },
        ...Array.from({ length: turns }, (_, t) => ({ role: 'assistant', content: `a${t}` })),
      ],
    });
    expect(conversationOf(messages('fix the bug', 0), 'messages', noHeaders)).toBe(
      conversationOf(messages('fix the bug', 5), 'messages', noHeaders),
    );
    expect(conversationOf(messages('fix the bug', 0), 'messages', noHeaders)).not.toBe(
      conversationOf(messages('add a test', 0), 'messages', noHeaders),
    );
    const responses = (first: string, turns: number) => ({
      instructions: 'You are Codex.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: first }] },
        ...Array.from({ length: turns }, (_, t) => ({ type: 'function_call_output', output: `o${t}` })),
      ],
    });
    expect(conversationOf(responses('refactor', 0), 'responses', noHeaders)).toBe(
      conversationOf(responses('refactor', 4), 'responses', noHeaders),
    );
    expect(conversationOf(responses('refactor', 0), 'responses', noHeaders)).not.toBe(
      conversationOf(responses('document', 0), 'responses', noHeaders),
    );
    expect(conversationOf({ input: 'hello' }, 'responses', noHeaders)).not.toBe(
      conversationOf({ input: 'bye' }, 'responses', noHeaders),
    );
  });

  it('names a completions prompt by its cacheable prefix, and a shorter prompt not at all', () => {
    const opening = (seed: string) =>
      `${seed} `.repeat(Math.ceil(CACHEABLE_PREFIX_CHARS / (seed.length + 1)));
    const story = opening('Once upon a time');
    const turns = [1, 2, 5, 10].map((t) =>
      conversationOf(
        { prompt: `${story}${'\nUser: more?\nAssistant: yes.'.repeat(t)}` },
        'completions',
        noHeaders,
      ),
    );
    expect(turns[0]).not.toBeNull();
    expect(new Set(turns).size).toBe(1);
    expect(conversationOf({ prompt: [story] }, 'completions', noHeaders)).toBe(turns[0]);
    // Another prompt, even one that differs only at the end of the prefix, is another conversation.
    expect(conversationOf({ prompt: opening('In a land far away') }, 'completions', noHeaders)).not.toBe(
      turns[0],
    );
    const lastChanged = `${story.slice(0, CACHEABLE_PREFIX_CHARS - 1)}!${story.slice(CACHEABLE_PREFIX_CHARS)}`;
    expect(conversationOf({ prompt: lastChanged }, 'completions', noHeaders)).not.toBe(turns[0]);
    // Nothing a provider would cache: rotated like any request without a conversation.
    expect(
      conversationOf({ prompt: story.slice(0, CACHEABLE_PREFIX_CHARS - 1) }, 'completions', noHeaders),
    ).toBeNull();
    for (const prompt of [undefined, 7, [1, 2, 3], [story, story], { text: story }])
      expect(conversationOf({ prompt }, 'completions', noHeaders)).toBeNull();
    // A session the client names still wins.
    expect(conversationOf({ prompt: 'short', prompt_cache_key: 'abc' }, 'completions', noHeaders)).toBe(
      conversationOf({ messages: [], session_id: 'abc' }, 'chat', noHeaders),
    );
  });

  it('has none for a body without an opening, and never throws on odd shapes', () => {
    expect(conversationOf({ model: 'x' }, 'chat', noHeaders)).toBeNull();
    expect(
      conversationOf({ messages: [{ role: 'assistant', content: 'hi' }] }, 'chat', noHeaders),
    ).toBeNull();
    for (const odd of [
      { messages: 'no' },
      { messages: [null, 3, 'x', { role: 'user', content: { nested: true } }] },
      { system: 5, messages: [{ role: 'user', content: [null, 7, { text: 9 }, { image_url: 3 }] }] },
      { input: [null] },
      { session_id: {} },
    ]) {
      for (const family of ['chat', 'messages', 'responses'] as const)
        expect(() => conversationOf(odd, family, noHeaders)).not.toThrow();
    }
  });

  it('hashes only the start and end of a huge opening, which still tells conversations apart', () => {
    const huge = 'x'.repeat(5_000_000);
    const a = conversationOf(chatTurn(huge, 'first question', 1), 'chat', noHeaders);
    const b = conversationOf(chatTurn(huge, 'other question', 1), 'chat', noHeaders);
    expect(a).not.toBeNull();
    expect(a).not.toBe(b);
    // Images differ in their end, not in their data-URL header.
    const image = (tail: string) => ({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(100_000)}${tail}` } },
          ],
        },
      ],
    });
    expect(conversationOf(image('one'), 'chat', noHeaders)).not.toBe(
      conversationOf(image('two'), 'chat', noHeaders),
    );
  });
});
