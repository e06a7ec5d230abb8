import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, type Json, startHarness, upstreamKey } from './harness';

// The bare host as base URL (NextChat, Cherry Studio, the seed's README): every proxy route
// answers at the root too, while `GET /` stays the admin UI.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.addKeys(upstreamKey('root'));
});
afterAll(() => h?.close());

describe('the root base URL', () => {
  it('serves the openai SDK pointed at the bare host: chat, models, embeddings', async () => {
    const client = new OpenAI({ apiKey: h.clientKey, baseURL: h.url, maxRetries: 0 });
    const chat = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(chat.choices[0].message.content).toBe('Hello! How can I help you today?');
    const models = await client.models.list();
    expect(models.data.length).toBeGreaterThan(0);
    const embedded = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input: 'x' });
    expect(embedded.data[0].embedding.length).toBeGreaterThan(0);
    const paths = h.mock.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(paths).toEqual(['/api/v1/chat/completions', '/api/v1/embeddings']);
  });

  it('serves /messages and /responses at the root, streamed too', async () => {
    const messages = await h.post('/messages', {
      model: 'anthropic/claude-3.5-sonnet',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(messages.status).toBe(200);
    expect(((await messages.json()) as Json).type).toBe('message');
    const responses = await h.post('/responses', { model: 'openai/gpt-4o-mini', input: 'Hi', stream: true });
    expect(responses.status).toBe(200);
    expect(await responses.text()).toContain('event: response.completed');
  });

  it('asks for a client key at the root as under /v1', async () => {
    const res = await h.post(
      '/chat/completions',
      { model: 'openai/gpt-4o-mini', messages: [] },
      { auth: null },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('0');
    expect((await fetch(`${h.url}/models`)).status).toBe(401);
  });

  it('leaves GET / to the admin UI and other root paths alone', async () => {
    const ui = await fetch(`${h.url}/`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
    const other = await fetch(`${h.url}/nope`, { headers: { authorization: `Bearer ${h.clientKey}` } });
    expect(other.status).toBe(404);
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
  });
});
