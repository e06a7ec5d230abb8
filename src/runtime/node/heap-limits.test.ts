import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { givenFlag, semiSpaceGrowthFactor } from './heap-limits';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const MiB = 1024 * 1024;

/**
 * A Node process that allocates like a busy server (short-lived garbage, a share of it surviving a
 * while) in small turns of the event loop; answers the largest young generation it had.
 */
function largestNewSpace(limit: string, nodeArgs: string[] = []): number {
  const script = `
    import v8 from 'node:v8';
    import { limitHeap, newSpaceSize } from './src/runtime/node/heap-limits.ts';
    const limit = ${limit};
    if (limit) limitHeap({ ...limit, execArgv: process.execArgv, nodeOptions: '' });
    let kept = [];
    let largest = 0;
    for (let turn = 0; turn < 3000; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      for (let i = 0; i < 1000; i++) {
        kept.push({ turn, i, text: 'request ' + i });
        if (kept.length > 30000) kept = [];
      }
      largest = Math.max(largest, newSpaceSize());
    }
    process.stdout.write(String(largest));
  `;
  const out = execFileSync(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  return Number(out);
}

describe('limitHeap', () => {
  it('holds the young generation at its limit where V8 alone grows it further', () => {
    const unlimited = largestNewSpace('null');
    const limited = largestNewSpace('{ newSpaceMiB: 8, growingPercent: 50 }');
    expect(unlimited).toBeGreaterThan(8 * MiB);
    expect(limited).toBeLessThanOrEqual(8 * MiB);
  }, 120_000);

  it('leaves the young generation to a limit given to node', () => {
    const given = largestNewSpace('{ newSpaceMiB: 8, growingPercent: 50 }', ['--max-semi-space-size=16']);
    expect(given).toBeGreaterThan(8 * MiB);
  }, 120_000);
});

describe('givenFlag', () => {
  it('finds a flag in node own flags or NODE_OPTIONS, with or without a value', () => {
    const flags = ['--max-semi-space-size', '--max_semi_space_size'];
    expect(givenFlag(flags, ['--max-semi-space-size=16'])).toBe(true);
    expect(givenFlag(flags, ['--max_semi_space_size', '16'])).toBe(true);
    expect(givenFlag(flags, [], '--enable-source-maps --max-semi-space-size=4')).toBe(true);
    expect(givenFlag(flags, ['--max-old-space-size=512'], '--max-semi-space-size-x=1')).toBe(false);
    expect(givenFlag(flags, [], undefined)).toBe(false);
  });
});

describe('semiSpaceGrowthFactor', () => {
  it('lets the young generation grow below the limit and stops it at the limit', () => {
    expect(semiSpaceGrowthFactor(2 * MiB, 8 * MiB)).toBe(2);
    expect(semiSpaceGrowthFactor(8 * MiB, 8 * MiB)).toBe(1);
    expect(semiSpaceGrowthFactor(16 * MiB, 8 * MiB)).toBe(1);
  });
});
