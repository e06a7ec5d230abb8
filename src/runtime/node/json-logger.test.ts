import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INFO_FLUSH_MS, jsonLogger } from './json-logger';

/** Until the info lines buffered now have been written. */
const written = () => sleep(INFO_FLUSH_MS + 50);

afterEach(() => vi.restoreAllMocks());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const lines = (parts: string[]) =>
    parts
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  return { out: () => lines(out), err: () => lines(err), writes: () => out.length };
}

describe('jsonLogger', () => {
  it('writes one JSON object per line, the info lines of many turns in one write', async () => {
    const io = capture();
    const logger = jsonLogger('info');
    logger.log('info', 'started', { port: 8787, url: 'http://127.0.0.1:8787' });
    await tick();
    logger.log('info', 'quoted "message"');
    await tick();
    expect(io.writes()).toBe(0);
    await written();
    expect(io.writes()).toBe(1);
    const [first, second] = io.out();
    expect(first).toMatchObject({ level: 'info', msg: 'started', port: 8787 });
    expect(Number.isNaN(Date.parse(first.time))).toBe(false);
    expect(second).toMatchObject({ level: 'info', msg: 'quoted "message"' });
  });

  it('sends warnings and errors to stderr and drops what is under the level', async () => {
    const io = capture();
    const logger = jsonLogger('warn');
    logger.log('info', 'hidden');
    logger.log('error', 'broken', { error: 'boom' });
    // Warnings and errors do not wait.
    await tick();
    expect(io.out()).toEqual([]);
    expect(io.err()).toEqual([expect.objectContaining({ level: 'error', msg: 'broken', error: 'boom' })]);
  });

  it('writes on the next turn once 64 KB of info lines wait', async () => {
    const io = capture();
    const logger = jsonLogger('info');
    for (let i = 0; i < 400; i++) logger.log('info', 'request', { i, pad: 'x'.repeat(200) });
    await tick();
    expect(io.writes()).toBe(1);
    await written();
    expect(io.out()).toHaveLength(400);
  });

  it("keeps a record's own time: one `time` key per line", async () => {
    const io = capture();
    jsonLogger('info').log('info', 'request', { time: '2026-11-27T00:00:00.000Z', status: 200 });
    await written();
    expect(io.out()).toEqual([
      { time: '2026-11-27T00:00:00.000Z', level: 'info', msg: 'request', status: 200 },
    ]);
  });
});

describe('jsonLogger logLine', () => {
  it('writes a line made by the caller as it is, under the same level rule', async () => {
    const io = capture();
    jsonLogger('info').logLine?.(
      'info',
      '{"time":"2026-11-27T00:00:00.000Z","level":"info","msg":"request","status":200}',
    );
    jsonLogger('warn').logLine?.('info', '{"level":"info","msg":"hidden"}');
    await written();
    expect(io.out()).toEqual([
      { time: '2026-11-27T00:00:00.000Z', level: 'info', msg: 'request', status: 200 },
    ]);
  });
});
