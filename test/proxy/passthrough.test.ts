import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { chatChunks } from '../mock-openrouter';
import { chatBody, type Harness, type Json, sseData, startHarness, upstreamKey } from './harness';

// A shared 2-core machine: generous bounds; no test asserts on wall-clock speed.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

// What goes upstream and what comes back: bodies, headers, keys, encodings.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ HTTP_REFERER: 'https://cloudrouter.example', X_TITLE: 'CloudRouter Tests' });
});
afterEach(async () => {
  await h.clearKeys();
  h.mock.reset();
});
afterAll(() => h?.close());

/**
 * A raw node:http request to the proxy: exact headers, no transparent decompression.
 * `absoluteForm` sends the target as a whole URL (`POST http://host/v1/...`), as to a forward proxy.
 */
function raw(
  path: string,
  body: string,
  headers: Record<string, string>,
  options: { absoluteForm?: boolean } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const url = new URL(`${h.url}${path}`);
  const target = options.absoluteForm ? url.href : url.pathname + url.search;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: 'POST', path: target, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the request body', () => {
  it('goes upstream byte for byte when the model needs no rewrite', async () => {
    await h.addKeys(upstreamKey('a'));
    // Odd spacing, key order, unicode escapes and fields that do not exist yet: all kept.
    const text = `{"model":"openai/gpt-4o-mini",  "messages":[{"role":"user","content":"caf\\u00e9 ☕"}],
      "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}],
      "tool_choice":"none",
      "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}},
      "provider":{"order":["OpenAI"],"allow_fallbacks":false,"sort":"price"},
      "plugins":[{"id":"web","max_results":3}],
      "reasoning":{"effort":"high","exclude":true},
      "transforms":["middle-out"], "usage":{"include":true},
      "a_field_from_the_future":{"nested":[1,2.50,null,true]}, "temperature":0.70}`;
    const res = await h.post('/v1/chat/completions', text);
    expect(res.status).toBe(200);
    expect(h.mock.chatRequests()[0].rawBody).toBe(text);
  });

  it('keeps the models fallback array and everything else when only the model is rewritten', async () => {
    await h.addKeys(upstreamKey('a'));
    expect(
      (await h.admin('PUT', '/model-map', { aliases: { 'my-model': 'openai/gpt-4o-mini' } })).status,
    ).toBe(200);
    const body = chatBody({
      model: 'my-model',
      models: ['openai/gpt-4o', 'anthropic/claude-3.5-sonnet'],
      provider: { only: ['OpenAI'] },
      plugins: [{ id: 'web' }],
      brand_new: { x: 1 },
    });
    const res = await h.post('/v1/chat/completions', body);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cloudrouter-model')).toBe('openai/gpt-4o-mini');
    expect(h.mock.chatRequests()[0].body).toEqual({ ...body, model: 'openai/gpt-4o-mini' });
    await h.admin('PUT', '/model-map', { aliases: {} });
  });
});

describe('headers sent upstream', () => {
  it('carry the configured attribution and the upstream key, nothing of the client’s auth', async () => {
    const key = upstreamKey('a');
    await h.addKeys(key);
    await h.post('/v1/chat/completions', chatBody(), { headers: { cookie: 'session=1', 'x-custom': 'y' } });
    const sent = h.mock.chatRequests()[0].headers;
    expect(sent['http-referer']).toBe('https://cloudrouter.example');
    expect(sent['x-title']).toBe('CloudRouter Tests');
    expect(sent.authorization).toBe(`Bearer ${key}`);
    expect(JSON.stringify(sent)).not.toContain(h.clientKey);
    expect(sent.cookie).toBeUndefined();
  });

  it('carry the client’s own attribution when it sent one', async () => {
    await h.addKeys(upstreamKey('a'));
    await h.post('/v1/chat/completions', chatBody(), {
      headers: { 'HTTP-Referer': 'https://my.app', 'X-Title': 'My App' },
    });
    const sent = h.mock.chatRequests()[0].headers;
    expect(sent['http-referer']).toBe('https://my.app');
    expect(sent['x-title']).toBe('My App');
  });
});

describe('the answer', () => {
  it('never holds the upstream key, nor upstream hop-by-hop headers or cookies', async () => {
    const key = upstreamKey('secret');
    await h.addKeys(key);
    h.mock.always('*', (req) => ({
      headers: {
        'set-cookie': 'upstream=1',
        'keep-alive': 'timeout=99',
        'x-upstream-echo': req.key ?? '',
        'x-generation-id': 'gen-1',
      },
      body: { error: { code: 400, message: `bad request made with ${req.key}` } },
      status: 400,
    }));
    const answers = [
      await raw('/v1/chat/completions', JSON.stringify(chatBody()), {
        authorization: `Bearer ${h.clientKey}`,
        'content-type': 'application/json',
      }),
    ];
    h.mock.always('*', {
      headers: { 'set-cookie': 'upstream=1', 'keep-alive': 'timeout=99', 'x-echo': key },
    });
    for (const stream of [false, true]) {
      answers.push(
        await raw('/v1/chat/completions', JSON.stringify(chatBody({ stream })), {
          authorization: `Bearer ${h.clientKey}`,
          'content-type': 'application/json',
        }),
      );
    }
    for (const answer of answers) {
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.headers['keep-alive']).not.toBe('timeout=99');
      expect(answer.headers['x-echo']).toBeUndefined();
      expect(JSON.stringify(answer.headers)).not.toContain(key);
      expect(answer.headers['x-cloudrouter-attempts']).toBe('1');
    }
    // The 400 echoed the key in its message; what reaches the client is not the key.
    expect(answers[0].status).toBe(400);
    expect(answers[0].text).not.toContain(key);
    expect(answers.map((a) => a.status)).toEqual([400, 200, 200]);
  });

  it('arrives intact when upstream compressed it (JSON and SSE)', async () => {
    await h.addKeys(upstreamKey('a'));
    h.mock.script('*', { gzip: true });
    const plain = await h.post('/v1/chat/completions', chatBody());
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(((await plain.json()) as Json).choices[0].message.content).toBe(
      'Hello! How can I help you today?',
    );

    h.mock.script('*', { gzip: true, sse: chatChunks('openai/gpt-4o-mini', ['zip', 'ped']) });
    const res = await raw('/v1/chat/completions', JSON.stringify(chatBody({ stream: true })), {
      authorization: `Bearer ${h.clientKey}`,
      'content-type': 'application/json',
    });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(
      sseData(res.text)
        .map((e) => e.choices[0]?.delta?.content ?? '')
        .join(''),
    ).toBe('zipped');
  });

  it('has a correct content-length for a non-streamed body', async () => {
    await h.addKeys(upstreamKey('a'));
    const res = await raw('/v1/chat/completions', JSON.stringify(chatBody()), {
      authorization: `Bearer ${h.clientKey}`,
      'content-type': 'application/json',
    });
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers['content-type']).toContain('application/json');
  });
});

describe('the two ways in on Node', () => {
  it('answers the same through Hono as straight from node:http', async () => {
    await h.addKeys(upstreamKey('a'));
    const body = JSON.stringify(chatBody({ model: 'gpt-4o' }));
    const headers = { authorization: `Bearer ${h.clientKey}`, 'content-type': 'application/json' };
    // An absolute-form target is no path Node's own listener serves: Node hands it to Hono.
    const viaHono = await raw('/v1/chat/completions', body, headers, { absoluteForm: true });
    const direct = await raw('/v1/chat/completions', body, headers);
    expect(h.mock.chatRequests()).toHaveLength(2);
    for (const res of [viaHono, direct]) {
      expect(res.status).toBe(200);
      expect(res.headers['x-cloudrouter-attempts']).toBe('1');
      expect(res.headers['x-cloudrouter-model']).toBe('openai/gpt-4o');
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
      expect(JSON.parse(res.text).choices[0].message.role).toBe('assistant');
    }
    const names = (res: { headers: Json }) =>
      Object.keys(res.headers)
        .filter((n) => n !== 'date')
        .sort();
    expect(names(viaHono)).toEqual(names(direct));
  });

  it('leaves every other path to Hono: a POST the proxy does not serve still needs a key', async () => {
    const res = await raw('/v1/chat/completions/', '{}', { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).error.code).toBe('missing_api_key');
    const known = await raw('/v1/nope', '{}', { authorization: `Bearer ${h.clientKey}` });
    expect(known.status).toBe(404);
    expect(JSON.parse(known.text).error.code).toBe('route_not_found');
  });
});
