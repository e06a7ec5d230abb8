// Global setup of the `workers` vitest project. It runs in Node (not in workerd)
// once before the workers tests, and its teardown runs after them.
//
// To give workerd tests a Node-side mock server (e.g. a fake OpenRouter):
//   1. start it here on 127.0.0.1 with port 0 and read the chosen port;
//   2. `project.provide('myMockUrl', \`http://127.0.0.1:${port}\`)`;
//   3. declare `myMockUrl: string` in `ProvidedContext` (test/workers/env.d.ts);
//   4. in a test: `import { inject } from 'vitest'; const base = inject('myMockUrl');`
//      and `fetch(base + '/path')` — outbound fetch from workerd to 127.0.0.1 works
//      (proven by test/workers/outbound.test.ts).
//   5. close it in the returned teardown.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startMockOpenRouter } from '../mock-openrouter';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts the Node-side servers and provides their URLs; answers the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // `/redirect` sends the caller on to `/caught`, which counts the keys that reached it.
  let caught = 0;
  const probe = createServer((req, res) => {
    if (req.url === '/ping') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('pong');
      return;
    }
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(`"${'x'.repeat(200 * 1024)}"`);
      return;
    }
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/caught' }).end();
      return;
    }
    if (req.url === '/caught') {
      if (req.headers.authorization) caught++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    if (req.url === '/caught-count') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(String(caught));
      return;
    }
    res.writeHead(404).end();
  });
  project.provide('outboundProbeUrl', await listen(probe));
  // The mock OpenRouter of test/workers/proxy.test.ts, scripted over its HTTP control API.
  const mock = await startMockOpenRouter();
  project.provide('mockOpenRouterUrl', mock.url);
  project.provide('mockOpenRouterOrigin', mock.origin);
  // A second mock for test/workers/health.test.ts and kv-budget.test.ts, so that other files' resets leave it be.
  const statsMock = await startMockOpenRouter();
  project.provide('statsMockUrl', statsMock.url);
  project.provide('statsMockOrigin', statsMock.origin);
  // A third for test/workers/clients.test.ts (real client SDKs), so that its scripts meet no other file's resets.
  const clientsMock = await startMockOpenRouter();
  project.provide('clientsMockUrl', clientsMock.url);
  project.provide('clientsMockOrigin', clientsMock.origin);
  // A fourth for test/workers/failover.test.ts (issue 13's fault classes).
  const failoverMock = await startMockOpenRouter();
  project.provide('failoverMockUrl', failoverMock.url);
  project.provide('failoverMockOrigin', failoverMock.origin);
  return async () => {
    await failoverMock.close();
    await clientsMock.close();
    await statsMock.close();
    await mock.close();
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  };
}
