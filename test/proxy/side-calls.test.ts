import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Harness, type Json, startHarness, upstreamKey } from './harness';

// OpenRouter's side calls through CloudRouter (what clients with a built-in OpenRouter provider
// call), and the headers passed each way.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let h: Harness;
const secrets = [upstreamKey('a'), upstreamKey('b'), upstreamKey('c')];
beforeAll(async () => {
  h = await startHarness();
  await h.addKeys(...secrets);
});
afterAll(() => h?.close());
beforeEach(() => h.mock.reset());

const get = (path: string) =>
  fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${h.clientKey}` } });
const generationAsks = () => h.mock.requests.filter((r) => r.path === '/api/v1/generation');

describe('GET /v1/generation', () => {
  it('asks with the key that served the generation', async () => {
    for (let i = 0; i < 3; i++) {
      const chat = await h.post('/v1/chat/completions', {
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hi' }],
      });
      const id = chat.headers.get('x-generation-id');
      const servedBy = h.mock.chatRequests().at(-1)?.key;
      const res = await get(`/v1/generation?id=${id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-cloudrouter-attempts')).toBe('1');
      expect(((await res.json()) as Json).data.id).toBe(id);
      expect(generationAsks().at(-1)?.key).toBe(servedBy);
    }
  });

  it('asks with the key that served a stream after it failed over, not the key that failed', async () => {
    for (let round = 0; round < 4; round++) {
      h.mock.reset();
      // The first attempt's stream fails before its first data event (with its own generation id).
      const failed = {
        id: `gen-failed-${round}`,
        object: 'chat.completion.chunk',
        created: 1,
        model: 'openai/gpt-4o-mini',
        error: { code: 503, message: 'Provider overloaded' },
        choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
      };
      h.mock.script('*', { sse: [{ comment: 'OPENROUTER PROCESSING' }, { data: failed }, { done: true }] });
      const res = await h.post('/v1/chat/completions', {
        model: 'openai/gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: `Conversation ${round}` }],
      });
      const text = await res.text();
      const id = /"id":"(gen-[^"]+)"/.exec(text)?.[1];
      const [first, second] = h.mock.chatRequests();
      expect(second?.key).toBeDefined();
      expect(second.key).not.toBe(first.key);
      expect(id).toBeDefined();
      expect(id).not.toBe(failed.id);
      const found = await get(`/v1/generation?id=${id}`);
      expect(found.status).toBe(200);
      expect(generationAsks().map((r) => r.key)).toEqual([second.key]);
    }
  });

  it('finds a generation it does not remember by asking the pool, and answers 404 when no key knows it', async () => {
    // Made with the pool's last key, not through CloudRouter (as before a restart, or on another isolate).
    const made = await fetch(`${h.mock.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secrets[2]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    const id = made.headers.get('x-generation-id');
    const found = await get(`/v1/generation?id=${id}`);
    expect(found.status).toBe(200);
    expect(generationAsks().at(-1)?.key).toBe(secrets[2]);
    const missing = await get('/v1/generation?id=gen-nobody-made-this');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Json).error.code).toBe('generation_not_found');
    expect(missing.headers.get('x-cloudrouter-attempts')).toBe('3');
    expect((await get('/v1/generation')).status).toBe(400);
  });
});

describe('GET /v1/models/{author}/{slug}/endpoints', () => {
  it('answers OpenRouter s list of providers, at the root too', async () => {
    const res = await get('/v1/models/openai/gpt-4o-mini/endpoints');
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).data.id).toBe('openai/gpt-4o-mini');
    expect((await get('/api/v1/models/openai/gpt-4o-mini/endpoints')).status).toBe(200);
    const unknown = await get('/v1/models/nobody/nothing/endpoints');
    expect(unknown.status).toBe(404);
  });
});

describe('headers', () => {
  it('passes attribution and OpenRouter s request headers up, rate-limit and cache status back', async () => {
    h.mock.script('*', {
      headers: {
        'x-ratelimit-limit': '200',
        'x-ratelimit-remaining': '199',
        'x-ratelimit-reset': '1790000000000',
        'x-openrouter-cache-status': 'MISS',
        'set-cookie': 'no=thanks',
      },
    });
    const res = await h.post(
      '/v1/chat/completions',
      { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
      {
        headers: {
          'http-referer': 'https://app.example',
          'x-openrouter-title': 'My App',
          'x-openrouter-categories': 'cli-agent',
          'x-openrouter-cache': 'true',
          'x-unrelated': 'stays here',
        },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('199');
    expect(res.headers.get('x-ratelimit-reset')).toBe('1790000000000');
    expect(res.headers.get('x-openrouter-cache-status')).toBe('MISS');
    expect(res.headers.get('set-cookie')).toBeNull();
    const sent = h.mock.chatRequests()[0].headers;
    expect(sent['http-referer']).toBe('https://app.example');
    expect(sent['x-openrouter-title']).toBe('My App');
    expect(sent['x-openrouter-categories']).toBe('cli-agent');
    expect(sent['x-openrouter-cache']).toBe('true');
    expect(sent['x-unrelated']).toBeUndefined();
  });

  it('passes any X-OpenRouter-* header up, a bounded number of them, never the client s own key', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 20; i++) many[`x-openrouter-extra-${String(i).padStart(2, '0')}`] = `v${i}`;
    const res = await h.post(
      '/v1/chat/completions',
      { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
      {
        headers: {
          'X-OpenRouter-Foo': 'bar baz',
          'x-openrouter-long': 'x'.repeat(3000),
          [`x-openrouter-${'n'.repeat(80)}`]: 'long name',
          ...many,
        },
      },
    );
    expect(res.status).toBe(200);
    const sent = h.mock.chatRequests()[0].headers;
    expect(sent['x-openrouter-foo']).toBe('bar baz');
    expect(sent['x-openrouter-long']).toBeUndefined();
    expect(Object.keys(sent).filter((name) => name.includes('n'.repeat(80)))).toEqual([]);
    expect(Object.keys(sent).filter((name) => name.startsWith('x-openrouter-'))).toHaveLength(16);
    expect(sent.authorization).not.toContain(h.clientKey);
  });
});
