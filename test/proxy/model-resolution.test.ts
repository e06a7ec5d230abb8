import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chatBody, type Harness, startHarness, upstreamKey } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// A fresh server has no catalogue in memory: the first request with a bare name must still resolve it.
describe('model names on a fresh start', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.addKeys(upstreamKey('resolve'));
  });
  afterAll(() => h?.close());

  it('sends a bare name of the first request upstream as the OpenRouter id, and says so', async () => {
    const res = await h.post('/v1/chat/completions', chatBody({ model: 'gpt-4o-mini' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cloudrouter-model')).toBe('openai/gpt-4o-mini');
    const chats = h.mock.chatRequests();
    expect(chats.at(-1)?.body.model).toBe('openai/gpt-4o-mini');
  });

  it('applies an alias from the model map and resolves the models fallback array', async () => {
    const put = await h.admin('PUT', '/model-map', { aliases: { 'my-coder': 'deepseek/deepseek-coder' } });
    expect(put.status, await put.clone().text()).toBe(200);
    const res = await h.post(
      '/v1/chat/completions',
      chatBody({ model: 'my-coder', models: ['my-coder', 'deepseek-chat'] }),
    );
    expect(res.status).toBe(200);
    const sent = h.mock.chatRequests().at(-1)?.body;
    expect(sent.model).toBe('deepseek/deepseek-coder');
    expect(sent.models).toEqual(['deepseek/deepseek-coder', 'deepseek/deepseek-chat']);
  });
});
