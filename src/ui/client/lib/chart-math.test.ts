import { describe, expect, it } from 'vitest';
import { areaPath, labelIndices, linePath, niceTicks } from './chart-math';

describe('chart maths', () => {
  it('picks round ticks that reach the maximum', () => {
    expect(niceTicks(97)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(1000)).toEqual([0, 250, 500, 750, 1000]);
    expect(niceTicks(0.03)).toEqual([0, 0.01, 0.02, 0.03]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
  });

  it('draws lines and closed areas', () => {
    expect(
      linePath([
        [0, 10],
        [5, 2.25],
      ]),
    ).toBe('M0.0,10.0L5.0,2.3');
    expect(
      areaPath(
        [
          [0, 10],
          [5, 2],
        ],
        20,
      ),
    ).toBe('M0.0,10.0L5.0,2.0L5.0,20.0L0.0,20.0Z');
    expect(areaPath([], 20)).toBe('');
  });

  it('spreads axis labels evenly, ends included', () => {
    expect(labelIndices(288, 5)).toEqual([0, 72, 144, 215, 287]);
    expect(labelIndices(3, 5)).toEqual([0, 1, 2]);
    expect(labelIndices(0, 5)).toEqual([]);
  });
});
