import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { chatChunks } from '../mock-openrouter';
import { chatBody, type Harness, type Json, startHarness, upstreamKey } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// A client that hangs up before the usage chunk must still be charged (issue 14, item 1).
let h: Harness;
let secret: string;
beforeAll(async () => {
  h = await startHarness();
  secret = upstreamKey('left');
  await h.addKeys(secret);
});
afterAll(() => h?.close());

it('charges a stream whose client left before the usage chunk, from GET /generation?id=', async () => {
  const created = (await (await h.admin('POST', '/client-keys', { name: 'leaver' })).json()) as Json;
  const steps = chatChunks('openai/gpt-4o-mini', ['Hello', ' there', ' friend'], { includeUsage: true });
  // The content at once, then a long pause before the usage chunk (and [DONE]).
  h.mock.script(secret, { sse: [...steps.slice(0, -2), { delayMs: 5000 }, ...steps.slice(-2)] });
  const controller = new AbortController();
  const res = await h.post('/v1/chat/completions', chatBody({ stream: true }), {
    auth: created.key,
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('data:')) text += new TextDecoder().decode((await reader.read()).value);
  controller.abort();
  // The generation's cost (0.0001 USD, 19 tokens in the mock) arrives in the background.
  const deadline = Date.now() + 20_000;
  let usage: Json = {};
  while (Date.now() < deadline) {
    usage = ((await (await h.admin('GET', `/client-keys/${created.id}`)).json()) as Json).usage;
    if (usage?.today?.cost > 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(usage.today.cost).toBeCloseTo(0.0001, 8);
  expect(usage.today.tokens).toBe(19);
  expect(h.mock.requests.some((r) => r.method === 'GET' && r.path.endsWith('/generation'))).toBe(true);
});
