import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { chatBody, type Harness, type Json, startHarness, upstreamKey } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// What a request must say about its model before anything goes upstream (issue 14, items 2 and 3).
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ MAX_BODY_BYTES: String(1024 * 1024) });
  await h.addKeys(upstreamKey('models'));
});
afterEach(() => h.mock.reset());
afterAll(() => h?.close());

async function expect400(res: Response, message: RegExp): Promise<void> {
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(400);
  expect(body.error.message).toMatch(message);
  expect(res.headers.get('x-cloudrouter-attempts')).toBe('0');
}

/** What went upstream as a model request (the catalogue's GET /models is not one). */
function upstreamPosts() {
  return h.mock.requests.filter((r) => r.method === 'POST');
}

async function restrictedKey(models: string[]): Promise<string> {
  const res = await h.admin('POST', '/client-keys', { name: 'restricted', models });
  expect(res.status).toBe(201);
  return ((await res.json()) as Json).key;
}

describe('every request names its model', () => {
  it('refuses a body without model or models, on every model route', async () => {
    for (const path of ['/v1/chat/completions', '/v1/completions', '/v1/embeddings']) {
      const res = await h.post(path, { messages: [{ role: 'user', content: 'Hi' }], input: 'x' });
      await expect400(res, /must name its model/);
    }
    expect(upstreamPosts()).toHaveLength(0);
  });

  it('refuses a model that is not a string, and a models array that is empty or holds a non-string', async () => {
    await expect400(
      await h.post('/v1/chat/completions', chatBody({ model: 42 })),
      /"model" must be a string/,
    );
    await expect400(
      await h.post('/v1/chat/completions', chatBody({ model: ['a'] })),
      /"model" must be a string/,
    );
    await expect400(
      await h.post('/v1/chat/completions', chatBody({ models: [] })),
      /"models" must be a non-empty/,
    );
    await expect400(
      await h.post('/v1/chat/completions', chatBody({ models: ['openai/gpt-4o', { id: 'x' }] })),
      /"models\[1\]" must be a string/,
    );
    expect(upstreamPosts()).toHaveLength(0);
  });

  it('lets a request name its models with the fallback array alone', async () => {
    const body = chatBody({ models: ['openai/gpt-4o-mini'] });
    delete body.model;
    const res = await h.post('/v1/chat/completions', body);
    expect(res.status).toBe(200);
    expect(h.mock.chatRequests().at(-1)?.body.models).toEqual(['openai/gpt-4o-mini']);
  });

  it('applies the allow-list to every entry of models, with or without model', async () => {
    const key = await restrictedKey(['openai/*']);
    const onlyFallbacks = chatBody({ models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-sonnet'] });
    delete onlyFallbacks.model;
    expect((await h.post('/v1/chat/completions', onlyFallbacks, { auth: key })).status).toBe(403);
    const noModel = { messages: [{ role: 'user', content: 'Hi' }] };
    expect((await h.post('/v1/chat/completions', noModel, { auth: key })).status).toBe(400);
    expect(upstreamPosts()).toHaveLength(0);
  });
});

describe('model names are bounded', () => {
  it('refuses a 200 KB model name without sending it upstream or into the logs', async () => {
    const huge = `openai/${'x'.repeat(200 * 1024)}`;
    await expect400(await h.post('/v1/chat/completions', chatBody({ model: huge })), /at most 200/);
    await expect400(
      await h.post('/v1/chat/completions', chatBody({ models: ['openai/gpt-4o-mini', huge] })),
      /"models\[1\]" is \d+ characters long/,
    );
    expect(upstreamPosts()).toHaveLength(0);
    const logs = await (await h.admin('GET', '/logs?limit=50')).text();
    expect(logs).not.toContain('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
  });

  it('answers 400 (not 500, nothing sent upstream) to a model name outside printable ASCII', async () => {
    for (const model of ['openai/模型', 'openai/gpt 4o', 'openai/gpt\u00014o', 'openai/café']) {
      await expect400(await h.post('/v1/chat/completions', chatBody({ model })), /printable ASCII/);
      await expect400(
        await h.post('/v1/chat/completions', chatBody({ model: 'openai/gpt-4o-mini', models: [model] })),
        /printable ASCII/,
      );
    }
    expect(upstreamPosts()).toHaveLength(0);
  });

  it('refuses an alias or a target outside printable ASCII in the model map', async () => {
    const res = await h.admin('PUT', '/model-map', { aliases: { x: 'openai/模型' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.message).toMatch(/printable ASCII/);
  });
});
