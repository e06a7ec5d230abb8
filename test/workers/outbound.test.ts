import { expect, inject, it } from 'vitest';

it('reaches a Node-side HTTP server on 127.0.0.1 from inside workerd', async () => {
  const base = inject('outboundProbeUrl');
  expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${base}/ping`);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('pong');
  expect(typeof navigator !== 'undefined' && navigator.userAgent).toBe('Cloudflare-Workers');
});
