/// <reference types="@cloudflare/vitest-pool-workers/types" />
// Types for the tests that run inside workerd.

export {};

declare global {
  namespace Cloudflare {
    /** The bindings of wrangler.jsonc, as seen through `env` from `cloudflare:workers`. */
    interface Env {
      ROUTER_KV: KVNamespace;
    }
    /** Types `exports` from `cloudflare:workers` after the Worker entry of wrangler.jsonc. */
    interface GlobalProps {
      mainModule: typeof import('../../src/runtime/workers/index');
    }
  }
}

declare module 'vitest' {
  /** Values test/workers/global-setup.ts provides (Node side), read in workerd with `inject()`. */
  export interface ProvidedContext {
    /** Base URL (no trailing slash) of a tiny Node HTTP server that answers `/ping` with `pong`. */
    outboundProbeUrl: string;
    /** Base URL of the mock OpenRouter (`http://127.0.0.1:PORT/api/v1`): `OPENROUTER_BASE_URL`. */
    mockOpenRouterUrl: string;
    /** Origin of the mock OpenRouter, where its control API (`/__mock/...`) answers. */
    mockOpenRouterOrigin: string;
    /** Base URL and origin of a second mock OpenRouter, for health.test.ts and kv-budget.test.ts only. */
    statsMockUrl: string;
    statsMockOrigin: string;
    /** Base URL and origin of a third mock OpenRouter, for clients.test.ts only. */
    clientsMockUrl: string;
    clientsMockOrigin: string;
    /** Base URL and origin of a fourth mock OpenRouter, for failover.test.ts only. */
    failoverMockUrl: string;
    failoverMockOrigin: string;
  }
}
