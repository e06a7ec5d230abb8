import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { validator } from '../mock-openrouter/specs';
import { chatBody, type Harness, type Json, startHarness, upstreamKey } from './harness';

// A shared 2-core machine: generous bounds; no test asserts on wall-clock speed.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// Key rotation and failover, through the real Node server and the admin API.
let h: Harness;
beforeAll(async () => {
  // Rotation by request: these tests repeat one body, which by conversation would go to one key.
  // 20 requests at once on a shared machine: a second, not 300 ms, before a key counts as silent.
  h = await startHarness({ MAX_ATTEMPTS: '6', CONVERSATION_AFFINITY: 'false', UPSTREAM_TIMEOUT_MS: '1000' });
});
afterEach(async () => {
  await h.clearKeys();
  h.mock.reset();
});
afterAll(() => h?.close());

const openaiChat = validator('openai CreateChatCompletionResponse');

const attemptsOf = (res: Response) => Number(res.headers.get('x-cloudrouter-attempts'));

describe('a pool of one good key and five bad ones', () => {
  it('answers every one of 20 requests and marks the bad keys', { timeout: 60_000 }, async () => {
    const secrets = {
      limited: upstreamKey('r429'),
      invalid: upstreamKey('r401'),
      broke: upstreamKey('r402'),
      failing: upstreamKey('r500'),
      silent: upstreamKey('hang'),
      good: upstreamKey('good'),
    };
    h.mock.always(secrets.limited, { status: 429, headers: { 'retry-after': '60' } });
    h.mock.always(secrets.invalid, { status: 401 });
    // No credit, as its GET /key says (a 402 alone no longer exhausts a key).
    h.mock.keyInfo(secrets.broke, { limit: 5, limit_remaining: 0, usage: 5 });
    h.mock.always(secrets.failing, { status: 500 });
    h.mock.always(secrets.silent, { hang: true });
    const ids = await h.addKeys(...Object.values(secrets));
    const idOf = Object.fromEntries(Object.keys(secrets).map((name, i) => [name, ids[i]]));

    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await h.post('/v1/chat/completions', chatBody());
        return { res, body: (await res.json()) as Json };
      }),
    );
    for (const { res, body } of answers) {
      expect(res.status, JSON.stringify(body)).toBe(200);
      openaiChat(body);
      expect(attemptsOf(res)).toBeGreaterThanOrEqual(1);
    }
    expect(answers.some(({ res }) => attemptsOf(res) > 1)).toBe(true);

    const views = await h.keyViews();
    expect(views.get(idOf.invalid)?.status).toBe('invalid');
    expect(views.get(idOf.broke)?.status).toBe('exhausted');
    expect(views.get(idOf.limited)?.status).toBe('cooldown');
    expect(views.get(idOf.good)?.status).toBe('active');
    // Not the key's fault: a 500 and a timeout leave the key in the rotation.
    expect(views.get(idOf.failing)?.status).toBe('active');
    expect(views.get(idOf.silent)?.status).toBe('active');
    // From now on the 401, 402 and 429 keys are left out of the rotation.
    const byKey = (s: string) => h.mock.chatRequests().filter((r) => r.key === s).length;
    const before = {
      invalid: byKey(secrets.invalid),
      broke: byKey(secrets.broke),
      limited: byKey(secrets.limited),
    };
    for (let i = 0; i < 4; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    expect(byKey(secrets.invalid)).toBe(before.invalid);
    expect(byKey(secrets.broke)).toBe(before.broke);
    expect(byKey(secrets.limited)).toBe(before.limited);
  });

  it('passes a 400 through after exactly one upstream request, code and metadata kept', async () => {
    const [good, other] = [upstreamKey('good'), upstreamKey('other')];
    await h.addKeys(good, other);
    const metadata = { provider_name: 'OpenAI', raw: 'bad tool schema' };
    h.mock.always('*', { status: 400, error: { code: 400, message: 'Invalid tool schema', metadata } });
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(body.error).toMatchObject({
      message: 'Invalid tool schema',
      type: expect.any(String),
      code: 400,
      metadata,
    });
    expect(h.mock.chatRequests()).toHaveLength(1);
    expect(attemptsOf(res)).toBe(1);
    // Not the key's fault.
    for (const view of (await h.keyViews()).values()) expect(view.status).toBe('active');
  });

  it.each([
    [404, 'No endpoints found for this model'],
    [413, 'Request too large'],
    [422, 'Unprocessable'],
    [400, "This endpoint's maximum context length is 128000 tokens"],
  ])('passes a %i (%s) through without trying another key', async (status, message) => {
    await h.addKeys(upstreamKey('a'), upstreamKey('b'));
    h.mock.always('*', { status, error: { message } });
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(status);
    expect(((await res.json()) as Json).error.message).toBe(message);
    expect(h.mock.chatRequests()).toHaveLength(1);
  });

  it('passes a moderation 403 through, metadata kept, without penalising the key', async () => {
    const [a, b] = [upstreamKey('a'), upstreamKey('b')];
    await h.addKeys(a, b);
    const metadata = { reasons: ['violence'], flagged_input: 'x', provider_name: 'OpenAI', model_slug: 'm' };
    h.mock.always('*', { status: 403, error: { message: 'Input was flagged', metadata } });
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(403);
    expect(((await res.json()) as Json).error.metadata).toEqual(metadata);
    expect(h.mock.chatRequests()).toHaveLength(1);
    for (const view of (await h.keyViews()).values()) expect(view.status).toBe('active');
  });
});

describe('failover', () => {
  it('moves past a 200 whose body is an error object', async () => {
    const [bad, good] = [upstreamKey('bad'), upstreamKey('good')];
    await h.addKeys(bad, good);
    h.mock.always(bad, { status: 200, body: { error: { code: 502, message: 'Provider returned error' } } });
    for (let i = 0; i < 2; i++) {
      const res = await h.post('/v1/chat/completions', chatBody());
      const body = (await res.json()) as Json;
      expect(res.status).toBe(200);
      expect(body.choices[0].message.content).toBeTruthy();
    }
    expect(h.mock.chatRequests().filter((r) => r.key === bad).length).toBeGreaterThanOrEqual(1);
  });

  it.each([408, 502, 503, 524, 529])('moves past a %i', async (status) => {
    const [bad, good] = [upstreamKey('bad'), upstreamKey('good')];
    await h.addKeys(bad, good);
    h.mock.always(bad, { status });
    for (let i = 0; i < 2; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    expect(h.mock.chatRequests().filter((r) => r.key === bad).length).toBeGreaterThanOrEqual(1);
  });

  it('moves past a key whose connection is dropped', async () => {
    const [bad, good] = [upstreamKey('drop'), upstreamKey('good')];
    await h.addKeys(bad, good);
    // A non-stream request answered with a stream that drops before any data.
    h.mock.always(bad, { sse: [{ comment: 'x' }], dropAfter: 0 });
    for (let i = 0; i < 2; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
  });

  it('gives 502 upstream_error with the last provider error when every attempt failed', async () => {
    await h.addKeys(upstreamKey('a'), upstreamKey('b'));
    h.mock.always('*', { status: 503, error: { message: 'Provider overloaded', metadata: { raw: 'x' } } });
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(502);
    const body = (await res.json()) as Json;
    expect(body.error).toMatchObject({ type: 'server_error', code: 'upstream_error' });
    expect(body.error.message).toMatch(/^Provider overloaded; keys tried: /);
    expect(body.error.metadata).toEqual({ raw: 'x' });
    expect(attemptsOf(res)).toBe(2);
  });

  it('stops at MAX_ATTEMPTS', async () => {
    const local = await startHarness({ MAX_ATTEMPTS: '2', CONVERSATION_AFFINITY: 'false' });
    try {
      await local.addKeys(upstreamKey('a'), upstreamKey('b'), upstreamKey('c'));
      local.mock.always('*', { status: 500 });
      const res = await local.post('/v1/chat/completions', chatBody());
      expect(res.status).toBe(502);
      expect(attemptsOf(res)).toBe(2);
      expect(local.mock.chatRequests()).toHaveLength(2);
    } finally {
      await local.close();
    }
  });

  it('gives 504 when the only key never answers', async () => {
    await h.addKeys(upstreamKey('hang'));
    h.mock.always('*', { hang: true });
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(504);
    const body = (await res.json()) as Json;
    expect(body.error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
    expect(attemptsOf(res)).toBe(1);
  });
});

describe('no usable key', () => {
  it('answers 503 no_available_keys with an empty pool', async () => {
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(503);
    const body = (await res.json()) as Json;
    expect(body.error).toMatchObject({ code: 'no_available_keys', type: expect.any(String) });
    expect(body.error.message).toEqual(expect.any(String));
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('0');
    expect(h.mock.chatRequests()).toHaveLength(0);
  });

  it('answers 429 all_keys_rate_limited with Retry-After while every key cools down', async () => {
    const key = upstreamKey('limited');
    await h.addKeys(key);
    h.mock.script(key, { status: 429, headers: { 'retry-after': '30' } });
    const first = await h.post('/v1/chat/completions', chatBody());
    expect(first.status).toBe(429);
    expect(Number(first.headers.get('retry-after'))).toBe(30);
    expect(first.headers.get('x-cloudrouter-attempts')).toBe('1');
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(429);
    expect(((await res.json()) as Json).error).toMatchObject({
      code: 'all_keys_rate_limited',
      type: 'rate_limit_error',
    });
    const wait = Number(res.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(25);
    expect(wait).toBeLessThanOrEqual(30);
    expect(h.mock.chatRequests()).toHaveLength(1);
  });

  it('answers 503 when every key is disabled by the admin', async () => {
    const [id] = await h.addKeys(upstreamKey('off'));
    expect((await h.admin('PATCH', `/keys/${id}`, { enabled: false })).status).toBe(200);
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(503);
    expect(((await res.json()) as Json).error.code).toBe('no_available_keys');
    expect(res.headers.get('retry-after')).toBeNull();
    expect(h.mock.chatRequests()).toHaveLength(0);
  });
});

describe('cooldown length', () => {
  const cooldownSeconds = (view: Json) => (Date.parse(view.cooldown_until) - Date.now()) / 1000;

  it('honours retry-after-ms before Retry-After', async () => {
    const [limited, good] = [upstreamKey('limited'), upstreamKey('good')];
    const [id] = await h.addKeys(limited, good);
    h.mock.always(limited, { status: 429, headers: { 'retry-after-ms': '45000', 'retry-after': '5' } });
    for (let i = 0; i < 2; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    const view = (await h.keyViews()).get(id)!;
    expect(view.status).toBe('cooldown');
    expect(cooldownSeconds(view)).toBeGreaterThan(40);
    expect(cooldownSeconds(view)).toBeLessThanOrEqual(45);
  });

  it('honours Retry-After in seconds', async () => {
    const [limited, good] = [upstreamKey('limited'), upstreamKey('good')];
    const [id] = await h.addKeys(limited, good);
    h.mock.always(limited, { status: 429, headers: { 'retry-after': '120' } });
    for (let i = 0; i < 2; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    const view = (await h.keyViews()).get(id)!;
    expect(view.status).toBe('cooldown');
    expect(cooldownSeconds(view)).toBeGreaterThan(110);
    expect(cooldownSeconds(view)).toBeLessThanOrEqual(120);
  });

  it('ends the cooldown when its time comes', async () => {
    const [limited, good] = [upstreamKey('limited'), upstreamKey('good')];
    const [id] = await h.addKeys(limited, good);
    h.mock.script(limited, { status: 429, headers: { 'retry-after-ms': '300' } });
    for (let i = 0; i < 2; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await h.keyViews()).get(id)?.status).toBe('active');
    for (let i = 0; i < 2; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    expect(h.mock.chatRequests().filter((r) => r.key === limited).length).toBeGreaterThanOrEqual(2);
  });
});

describe('x-cloudrouter-attempts', () => {
  it('counts the upstream requests each answer took', async () => {
    const [a, b, c] = [upstreamKey('a'), upstreamKey('b'), upstreamKey('c')];
    await h.addKeys(a, b, c);
    h.mock.always(a, { status: 500 });
    h.mock.always(b, { status: 500 });
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const before = h.mock.chatRequests().length;
      const res = await h.post('/v1/chat/completions', chatBody());
      expect(res.status).toBe(200);
      expect(attemptsOf(res)).toBe(h.mock.chatRequests().length - before);
      seen.add(attemptsOf(res));
    }
    expect(Math.max(...seen)).toBeGreaterThan(1);
  });
});
