/**
 * The parts of undici the Node transport uses, each loaded from its own
 * file: `import ... from 'undici'` loads all of it (fetch, WebSocket, caches,
 * mocks), some 20 MiB of resident memory where these two take about 11 (most
 * of it the HTTP parser's WebAssembly). undici is pinned; `undici-parts.test.ts`
 * checks these are the package's own `Agent` and `errors`.
 */
import { createRequire } from 'node:module';
import type { Agent as AgentClass, errors as undiciErrors } from 'undici';

const require = createRequire(import.meta.url);

/** undici's `Agent` (`undici/lib/dispatcher/agent.js`). */
export const Agent: typeof AgentClass = require('undici/lib/dispatcher/agent.js');

/** undici's error classes (`undici/lib/core/errors.js`). */
export const errors: typeof undiciErrors = require('undici/lib/core/errors.js');

/**
 * A response header's name, lower-cased, as undici reads it (`undici/lib/core/util.js`): a known
 * name is found in a tree and answered as one string made once; only others are decoded.
 */
export const headerName: (raw: Buffer) => string = require('undici/lib/core/util.js').headerNameToString;
