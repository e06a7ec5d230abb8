/** The Node server in-process in front of a mock OpenRouter, for the browser tests. */
import type { RunningServer } from '../../src/runtime/node/server';
import type { MockOpenRouter } from '../mock-openrouter';
import { startMockAndServer } from '../proxy/harness';

export const ADMIN_KEY = 'e2e-admin-key-4b1d9c';

export interface Stack {
  mock: MockOpenRouter;
  server: RunningServer;
  url: string;
  close(): Promise<void>;
}

/** Starts the mock and the server (SQLite in memory); `env` overrides settings (`AUTH_KEY: ''` for none). */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const { mock, server } = await startMockAndServer({
    AUTH_KEY: ADMIN_KEY,
    UPSTREAM_TIMEOUT_MS: '2000',
    ...env,
  });
  return {
    mock,
    server,
    url: server.url,
    async close() {
      await server.close(100);
      await mock.close();
    },
  };
}

/** `count` made-up upstream keys that look like OpenRouter's. */
export function fakeKeys(count: number, prefix = 'sk-or-v1-'): string[] {
  // Random-looking middles, and a distinct tail (the hint shows the last four characters).
  return Array.from(
    { length: count },
    (_, i) =>
      `${prefix}${((i + 1) * 2654435761).toString(16).padStart(12, '0').repeat(5)}${i.toString(16).padStart(4, '0')}`,
  );
}
