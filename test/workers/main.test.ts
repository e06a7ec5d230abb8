import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';

// Proves the wiring only: the Worker entry of wrangler.jsonc (`main`) loads in the
// test isolate and answers through `exports.default`. Its behaviour is tested elsewhere.
it('reaches the Worker entry of wrangler.jsonc', async () => {
  const res = await exports.default.fetch('http://cloudrouter.test/');
  expect(res).toBeInstanceOf(Response);
  await res.body?.cancel();
});
