import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, type Json, startHarness, upstreamKey } from './harness';

// The Claude Code CLI itself, in print mode, through CloudRouter in front of the mock: its agent
// loop (a tool call, the tool's result, the answer) over POST /v1/messages, streamed, offline.
// Opt-in: the CLI is a 400 MB native binary, not a dependency of the project. Install it anywhere
// (`npm install --prefix /tmp/cc @anthropic-ai/claude-code@2.1.332`) and run with
// CLAUDE_CODE_BIN=/tmp/cc/node_modules/.bin/claude; without it the test is skipped.
const bin = process.env.CLAUDE_CODE_BIN;
vi.setConfig({ testTimeout: 120_000, hookTimeout: 30_000 });

let h: Harness;
beforeAll(async () => {
  if (!bin) return;
  h = await startHarness({ UPSTREAM_TIMEOUT_MS: '5000' });
  await h.addKeys(upstreamKey('cc'));
});
afterAll(() => h?.close());

/** Runs `claude -p <prompt>` with CloudRouter as its base URL; answers its JSON result. */
async function claude(prompt: string, auth: Record<string, string>): Promise<Json> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: `${process.env.TMPDIR ?? '/tmp'}/cloudrouter-claude-code-home`,
    ANTHROPIC_BASE_URL: h.url,
    ...auth,
    ANTHROPIC_MODEL: 'anthropic/claude-3.5-sonnet',
    ANTHROPIC_SMALL_FAST_MODEL: 'anthropic/claude-3.5-sonnet',
    ANTHROPIC_DEFAULT_HAIKU_MODEL: 'anthropic/claude-3.5-sonnet',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
  };
  const child = spawn(bin!, ['-p', prompt, '--output-format', 'json'], { env });
  child.stdin.end();
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`claude exited ${code}: ${err.slice(0, 1000)}`);
  return JSON.parse(out) as Json;
}

describe.skipIf(!bin)('Claude Code (CLAUDE_CODE_BIN) through CloudRouter', () => {
  it.each([
    ['ANTHROPIC_AUTH_TOKEN (Bearer)', 'ANTHROPIC_AUTH_TOKEN'],
    ['ANTHROPIC_API_KEY (x-api-key)', 'ANTHROPIC_API_KEY'],
  ])('answers a prompt in print mode with %s, its tool loop included', async (_name, variable) => {
    h.mock.reset();
    const result = await claude('Say hi', { [variable]: h.clientKey });
    expect(result).toMatchObject({
      type: 'result',
      is_error: false,
      result: 'Hello! How can I help you today?',
    });
    const calls = h.mock.requests.filter((r) => r.path === '/api/v1/messages');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((r) => r.body.stream === true && r.headers['anthropic-version'])).toBe(true);
    expect(calls[0].body.tools.length).toBeGreaterThan(0);
  });
});
