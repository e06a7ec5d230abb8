import { APIError, AuthenticationError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DATA_POLICY_MESSAGE,
  GUARDRAIL_MESSAGE,
  KEY_LIMIT_MESSAGE,
  MODERATION_MESSAGE,
} from '../mock-openrouter/payloads';
import { chatBody, type Harness, type Json, sseData, startHarness, upstreamKey } from './harness';

// A shared 2-core machine: generous bounds; no test asserts on wall-clock speed.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

// Issue 13: failover that never gives up while a key can serve, and reads OpenRouter's errors right.
// Default MAX_ATTEMPTS (4): key faults answered at once must not use it up.
let h: Harness;
beforeAll(async () => {
  // Rotation by request: these tests repeat one body, which by conversation would go to one key.
  h = await startHarness({ CONVERSATION_AFFINITY: 'false' });
});
afterEach(async () => {
  await h.clearKeys();
  h.mock.reset();
});
afterAll(() => h?.close());

const FREE = 'meta-llama/llama-3.1-8b-instruct:free';
const attemptsOf = (res: Response) => Number(res.headers.get('x-cloudrouter-attempts'));
const sentBy = (secret: string, since = 0) =>
  h.mock
    .chatRequests()
    .slice(since)
    .filter((r) => r.key === secret).length;

describe('a pool of one good key among many bad ones', () => {
  it('serves every request, the first included, each bad key tried at most once per request', async () => {
    const bad = {
      invalid: upstreamKey('r401'),
      noCredit: upstreamKey('r402'),
      limited: upstreamKey('r429'),
      keyLimit: upstreamKey('r403limit'),
      guardrail: upstreamKey('r403guard'),
      dataPolicy: upstreamKey('r404policy'),
      invalidIn200: upstreamKey('r200err'),
      management: upstreamKey('mgmt'),
      failing: upstreamKey('r500'),
      silent: upstreamKey('hang'),
    };
    const good = upstreamKey('good');
    h.mock.always(bad.invalid, { status: 401 });
    h.mock.keyInfo(bad.noCredit, { limit: 5, limit_remaining: 0, usage: 5 });
    h.mock.always(bad.limited, { status: 429, headers: { 'retry-after': '60' } });
    h.mock.always(bad.keyLimit, { status: 403, error: { message: KEY_LIMIT_MESSAGE } });
    h.mock.always(bad.guardrail, { status: 403, error: { message: GUARDRAIL_MESSAGE } });
    h.mock.always(bad.dataPolicy, { status: 404, error: { message: DATA_POLICY_MESSAGE } });
    h.mock.always(bad.invalidIn200, {
      status: 200,
      body: { error: { code: 401, message: 'User not found.' } },
    });
    h.mock.keyInfo(bad.management, { is_management_key: true, is_provisioning_key: true });
    h.mock.always(bad.failing, { status: 500 });
    h.mock.always(bad.silent, { hang: true });
    // The good key last: a round-robin meets every bad key first.
    await h.addKeys(...Object.values(bad), good);

    for (let i = 0; i < 6; i++) {
      const since = h.mock.chatRequests().length;
      const res = await h.post('/v1/chat/completions', chatBody());
      const body = (await res.json()) as Json;
      expect(res.status, `request ${i}: ${JSON.stringify(body)}`).toBe(200);
      expect(body.choices[0].message.content).toBeTruthy();
      for (const secret of Object.values(bad)) expect(sentBy(secret, since)).toBeLessThanOrEqual(1);
      expect(attemptsOf(res)).toBe(h.mock.chatRequests().length - since);
    }
    // What a failure taught applies at once: the dead keys were met once in all.
    for (const secret of [bad.invalid, bad.noCredit, bad.limited, bad.invalidIn200, bad.management])
      expect(sentBy(secret)).toBeLessThanOrEqual(1);
    // Refused for this model: not asked again for it.
    for (const secret of [bad.keyLimit, bad.guardrail, bad.dataPolicy]) expect(sentBy(secret)).toBe(1);
  });
});

describe('what the client sees', () => {
  it('the openai SDK raises no AuthenticationError for a valid client key when upstream keys answer 401', async () => {
    await h.addKeys(upstreamKey('dead1'), upstreamKey('dead2'));
    h.mock.always('*', { status: 401 });
    const err = await h
      .openai()
      .chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(err).not.toBeInstanceOf(AuthenticationError);
    expect((err as APIError).status).toBe(503);
    const error = (err as APIError).error as Json;
    expect(error).toMatchObject({ code: 'no_available_keys', type: 'service_unavailable' });
    // The message names the hints tried, never a key.
    expect(error.message).toMatch(/keys tried: sk-or-v1-…\w{4} \(401 invalid_key\)/);
    for (const r of h.mock.chatRequests()) expect(error.message).not.toContain(r.key);
  });

  it('a pool out of credit is a 503, never a 402', async () => {
    const [a, b] = [upstreamKey('broke1'), upstreamKey('broke2')];
    await h.addKeys(a, b);
    h.mock.keyInfo(a, { limit: 1, limit_remaining: 0, usage: 1 });
    h.mock.keyInfo(b, { limit: 1, limit_remaining: 0, usage: 1 });
    // Whether their arrival check or the request meets the 402 first, the client never sees it.
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(503);
    expect(((await res.json()) as Json).error).toMatchObject({
      code: 'no_available_keys',
      type: 'service_unavailable',
    });
    expect(attemptsOf(res)).toBeLessThanOrEqual(2);
  });
});

describe('402, read right', () => {
  it('requests with an unaffordable max_tokens get a 400 and leave the pool serving others', async () => {
    const keys = [upstreamKey('c1'), upstreamKey('c2'), upstreamKey('c3')];
    const ids = await h.addKeys(...keys);
    // $0.01 left on each key's limit: gpt-4o-mini's 64,000 tokens cost more.
    for (const key of keys) h.mock.keyInfo(key, { limit: 1, limit_remaining: 0.01, usage: 0.99 });
    for (let i = 0; i < 3; i++) {
      const res = await h.post('/v1/chat/completions', chatBody({ max_tokens: 64_000 }));
      expect(res.status).toBe(400);
      const body = (await res.json()) as Json;
      expect(body.error).toMatchObject({ code: 'request_unaffordable', type: 'invalid_request_error' });
      expect(body.error.message).toMatch(/fewer max_tokens/);
    }
    const views = await h.keyViews();
    for (const id of ids) expect(views.get(id)?.status).toBe('active');
    for (let i = 0; i < 3; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
  });

  it('a credit 402 has the key checked at once: exhausted only when its credit says so', async () => {
    const [broke, flaky, good] = [upstreamKey('broke'), upstreamKey('flaky'), upstreamKey('good')];
    const [brokeId, flakyId] = await h.addKeys(broke, flaky, good);
    // No credit, and GET /key says so.
    h.mock.keyInfo(broke, { limit: 5, limit_remaining: 0, usage: 5 });
    // A 402 once, yet GET /key shows credit left.
    h.mock.script(flaky, { status: 402 });
    for (let i = 0; i < 3; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    await vi.waitFor(
      () => {
        const checks = h.mock.requests.filter((r) => r.path.endsWith('/key'));
        expect(checks.some((r) => r.key === broke)).toBe(true);
        expect(checks.some((r) => r.key === flaky)).toBe(true);
      },
      { timeout: 10_000 },
    );
    await vi.waitFor(
      async () => {
        const views = await h.keyViews();
        expect(views.get(brokeId)?.status).toBe('exhausted');
        expect(views.get(flakyId)?.status).toBe('active');
      },
      { timeout: 10_000 },
    );
  });
});

describe('free-model limits, per account', () => {
  it('a free-model 429 leaves paid traffic on that key', async () => {
    const [spent, other] = [upstreamKey('freespent'), upstreamKey('other')];
    const [spentId] = await h.addKeys(spent, other);
    h.mock.keyInfo(spent, { free_model_daily_requests: { limit: 50, remaining: 0, used: 50 } });
    for (let i = 0; i < 2; i++)
      expect((await h.post('/v1/chat/completions', chatBody({ model: FREE }))).status).toBe(200);
    expect(h.mock.chatRequests().filter((r) => r.key === spent && r.body.model === FREE)).toHaveLength(1);
    expect((await h.keyViews()).get(spentId)?.status).toBe('active');
    const since = h.mock.chatRequests().length;
    for (let i = 0; i < 4; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    expect(sentBy(spent, since)).toBeGreaterThanOrEqual(1);
    // Free requests still avoid it.
    const freeSince = h.mock.chatRequests().length;
    for (let i = 0; i < 2; i++)
      expect((await h.post('/v1/chat/completions', chatBody({ model: FREE }))).status).toBe(200);
    expect(sentBy(spent, freeSince)).toBe(0);
  });

  it('every key out of free requests: 429 with Retry-After until midnight UTC', async () => {
    const [a, b] = [upstreamKey('f1'), upstreamKey('f2')];
    await h.addKeys(a, b);
    for (const key of [a, b])
      h.mock.keyInfo(key, { free_model_daily_requests: { limit: 50, remaining: 0, used: 50 } });
    const res = await h.post('/v1/chat/completions', chatBody({ model: FREE }));
    expect(res.status).toBe(429);
    expect(((await res.json()) as Json).error.code).toBe('all_keys_rate_limited');
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    const wait = Number(res.headers.get('retry-after'));
    expect(Math.abs(wait - (midnight.getTime() - Date.now()) / 1000)).toBeLessThan(30);
    // Paid traffic goes on.
    expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
  });
});

describe('key- or account-specific refusals move on', () => {
  it('the data-policy 404 is served by another key, and that key keeps serving other models', async () => {
    const [strict, open] = [upstreamKey('strict'), upstreamKey('open')];
    const [strictId] = await h.addKeys(strict, open);
    const other = 'anthropic/claude-3-5-haiku';
    h.mock.always(strict, (req) =>
      req.body?.model === 'openai/gpt-4o-mini'
        ? { status: 404, error: { message: DATA_POLICY_MESSAGE } }
        : undefined,
    );
    for (let i = 0; i < 4; i++) {
      const res = await h.post('/v1/chat/completions', chatBody());
      expect(res.status).toBe(200);
    }
    expect(sentBy(strict)).toBe(1);
    expect((await h.keyViews()).get(strictId)?.status).toBe('active');
    const since = h.mock.chatRequests().length;
    for (let i = 0; i < 4; i++)
      expect((await h.post('/v1/chat/completions', chatBody({ model: other }))).status).toBe(200);
    expect(sentBy(strict, since)).toBeGreaterThanOrEqual(1);
  });

  it('a 404 for an unknown model stays the client’s, passed once', async () => {
    await h.addKeys(upstreamKey('a'), upstreamKey('b'));
    h.mock.always('*', { status: 404, error: { message: 'No endpoints found for nope/nope.' } });
    const res = await h.post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(404);
    expect(h.mock.chatRequests()).toHaveLength(1);
  });
});

describe('the moderation rule is the same on every path', () => {
  const metadata = {
    reasons: ['violence'],
    flagged_input: 'x',
    provider_name: 'OpenAI',
    model_slug: 'openai/gpt-4o-mini',
  };
  const error = { code: 403, message: MODERATION_MESSAGE, metadata };
  const paths: Array<[string, Json, boolean]> = [
    ['an error answer', { status: 403, body: { error } }, false],
    ['a 200 whose body is an error', { status: 200, body: { error } }, false],
    [
      'a stream’s first event',
      { sse: [{ comment: 'OPENROUTER PROCESSING' }, { data: { error } }, { done: true }] },
      true,
    ],
    ['a stream answered with a JSON error', { status: 200, body: { error } }, true],
  ];
  it.each(paths)('%s: passed once, no key penalised', async (_name, reply, stream) => {
    const [a, b] = [upstreamKey('a'), upstreamKey('b')];
    const ids = await h.addKeys(a, b);
    h.mock.always('*', reply);
    const res = await h.post('/v1/chat/completions', chatBody(stream ? { stream: true } : {}));
    const text = await res.text();
    const seen = stream && res.status === 200 ? sseData(text).at(-1) : (JSON.parse(text) as Json);
    expect(seen?.error?.message).toBe(MODERATION_MESSAGE);
    expect(seen?.error?.metadata).toEqual(metadata);
    expect(h.mock.chatRequests()).toHaveLength(1);
    const views = await h.keyViews();
    for (const id of ids) expect(views.get(id)?.status).toBe('active');
  });
});

describe('keys checked on arrival', () => {
  it('an import is checked through GET /key in the background: dead and management keys are out before any traffic', async () => {
    const [dead, management, good] = [upstreamKey('dead'), upstreamKey('mgmt'), upstreamKey('good')];
    h.mock.keyInfo(dead, { status: 401 });
    h.mock.keyInfo(management, { is_management_key: true, is_provisioning_key: true });
    h.mock.keyInfo(good, {});
    const [deadId, managementId, goodId] = await h.addKeys(dead, management, good);
    await vi.waitFor(
      async () => {
        const views = await h.keyViews();
        expect(views.get(deadId)?.status).toBe('invalid');
        expect(views.get(managementId)?.status).toBe('invalid');
        expect(views.get(goodId)?.status).toBe('active');
      },
      { timeout: 10_000 },
    );
    const management_ = (await h.keyViews()).get(managementId);
    expect(JSON.stringify(management_)).toMatch(/management/i);
    expect(h.mock.chatRequests()).toHaveLength(0);
    // Traffic meets only the good key.
    expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    expect(h.mock.chatRequests().map((r) => r.key)).toEqual([good]);
  });
});

describe('no client can take a model out of service for others', () => {
  it('a data-policy 404 met by a request with its own provider routing is not remembered for the key', async () => {
    const [a, b] = [upstreamKey('a'), upstreamKey('b')];
    await h.addKeys(a, b);
    // The request's own `provider` preferences exclude every endpoint: each key answers the same.
    h.mock.always('*', (req) =>
      req.body?.provider ? { status: 404, error: { message: DATA_POLICY_MESSAGE } } : undefined,
    );
    const strict = await h.post('/v1/chat/completions', chatBody({ provider: { data_collection: 'deny' } }));
    expect(strict.status).toBe(404);
    expect(h.mock.chatRequests()).toHaveLength(2);
    // Everyone else's requests for the model still reach both keys.
    for (let i = 0; i < 4; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    expect(sentBy(a)).toBeGreaterThanOrEqual(2);
    expect(sentBy(b)).toBeGreaterThanOrEqual(2);
  });
});
