import { describe, expect, it } from 'vitest';
import { eachLimited } from './each-limited';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('eachLimited', () => {
  it('runs every item, never more than `limit` at once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await eachLimited(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await tick();
        seen.push(i);
        running--;
      },
    );
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(peak).toBe(4);
  });

  it('rejects with the first failure only after every call has settled', async () => {
    const done: number[] = [];
    const run = eachLimited([1, 2, 3, 4, 5, 6], 3, async (i) => {
      await tick();
      if (i === 2) throw new Error('two failed');
      if (i === 5) throw new Error('five failed');
      await tick();
      done.push(i);
    });
    await expect(run).rejects.toThrow('two failed');
    expect(done.sort()).toEqual([1, 3, 4, 6]);
  });

  it('does nothing for no items', async () => {
    await expect(eachLimited([], 8, async () => {})).resolves.toBeUndefined();
  });
});
