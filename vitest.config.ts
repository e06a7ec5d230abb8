import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/workers/**', 'test/e2e/**'],
        },
      },
      {
        // Runs the tests inside workerd (Miniflare), with the bindings, compatibility
        // date and `main` of wrangler.jsonc: `env.ROUTER_KV` is a real local KV namespace.
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.jsonc' } })],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
          // Runs in Node before the workers start; values it provide()s reach tests via inject().
          globalSetup: ['test/workers/global-setup.ts'],
        },
      },
      {
        // The admin UI in a real browser (Debian's chromium via playwright-core), one file at a time.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
