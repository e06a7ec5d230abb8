import { createRequire } from 'node:module';
import * as undici from 'undici';
import { describe, expect, it } from 'vitest';
import { Agent, errors, headerName } from './undici-parts';

describe('undici parts', () => {
  it('are the classes undici itself exports', () => {
    expect(Agent).toBe(undici.Agent);
    expect(errors.HeadersTimeoutError).toBe(undici.errors.HeadersTimeoutError);
  });

  it('read a header name lower-cased, known or not', () => {
    expect(headerName(Buffer.from('Content-Type'))).toBe('content-type');
    expect(headerName(Buffer.from('X-Generation-Id'))).toBe('x-generation-id');
    expect(headerName(Buffer.from('X-Made-Up-Header'))).toBe('x-made-up-header');
  });

  it('load without the rest of undici (no fetch, no WebSocket)', () => {
    const require = createRequire(import.meta.url);
    const script = `
      const before = new Set(Object.keys(require.cache));
      require('undici/lib/dispatcher/agent.js');
      require('undici/lib/core/errors.js');
      const loaded = Object.keys(require.cache).filter((f) => !before.has(f));
      process.stdout.write(JSON.stringify(loaded.filter((f) => /web[\\\\/](fetch|websocket)/.test(f))));
    `;
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: import.meta.dirname,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual([]);
  });
});
