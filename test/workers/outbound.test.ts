import { expect, inject, it } from 'vitest';
import { AnswerTooLarge, UpstreamFailure } from '../../src/deps';
import { createFetchUpstream } from '../../src/runtime/workers/fetch-upstream';

it('reaches a Node-side HTTP server on 127.0.0.1 from inside workerd', async () => {
  const base = inject('outboundProbeUrl');
  expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${base}/ping`);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('pong');
  expect(typeof navigator !== 'undefined' && navigator.userAgent).toBe('Cloudflare-Workers');
});

it('never follows an upstream redirect: a failure, and the key goes nowhere else', async () => {
  const base = inject('outboundProbeUrl');
  const upstream = createFetchUpstream();
  const sent = upstream.send({
    url: `${base}/redirect`,
    method: 'POST',
    headers: { authorization: 'Bearer sk-or-v1-must-not-travel', 'content-type': 'application/json' },
    body: '{}',
    headersTimeoutMs: 5000,
  });
  await expect(sent).rejects.toBeInstanceOf(UpstreamFailure);
  await expect(sent).rejects.toMatchObject({
    kind: 'network',
    message: expect.stringContaining('redirect (302)'),
  });
  expect(await (await fetch(`${base}/caught-count`)).text()).toBe('0');
});

it('stops reading an answer past maxAnswerBytes (MAX_ANSWER_BYTES) and says so', async () => {
  const base = inject('outboundProbeUrl');
  const upstream = createFetchUpstream({ maxAnswerBytes: 65_536 });
  const reply = await upstream.send({
    url: `${base}/big`,
    method: 'GET',
    headers: {},
    headersTimeoutMs: 5000,
  });
  expect(reply.status).toBe(200);
  await expect(reply.bytes()).rejects.toBeInstanceOf(AnswerTooLarge);
  const whole = await createFetchUpstream({ maxAnswerBytes: 1024 * 1024 }).send({
    url: `${base}/big`,
    method: 'GET',
    headers: {},
    headersTimeoutMs: 5000,
  });
  expect((await whole.bytes()).length).toBe(200 * 1024 + 2);
});
