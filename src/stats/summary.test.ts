import { describe, expect, it } from 'vitest';
import { emptyCounters, observe } from './counters';
import { addRecord, emptyBucket } from './stats-bucket';
import { BUCKET_MS, DAY_MS, HOUR_MS } from './stats-names';
import type { StoredHour } from './stats-reader';
import { breakdown, rangeWindow, summarize } from './summary';
import { okRecord } from './test-records';

const NOW = Date.UTC(2026, 4, 10, 12, 34, 0);

describe('rangeWindow', () => {
  it('covers whole hours: a day in 5-minute points, a week in hours, 30 days in days', () => {
    expect(rangeWindow('day', NOW)).toEqual({ from: Date.UTC(2026, 4, 9, 13), to: NOW, bucketMs: BUCKET_MS });
    expect(rangeWindow('week', NOW).from).toBe(Date.UTC(2026, 4, 3, 13));
    expect(rangeWindow('month', NOW)).toEqual({ from: Date.UTC(2026, 3, 11), to: NOW, bucketMs: DAY_MS });
  });
});

describe('summarize', () => {
  const bucketAt = (t: number, n: number) => {
    const b = emptyBucket(t);
    for (let i = 0; i < n; i++)
      addRecord(b, okRecord(t), { promptTokens: 1, completionTokens: 1, totalTokens: 2, cost: 0 });
    return b;
  };
  const hourAt = (t: number): StoredHour => {
    const b = bucketAt(t, 3);
    const sub = { '0': emptyCounters(), '11': emptyCounters() };
    observe(sub['0'], { errorClass: null, latencyMs: 1, promptTokens: 1, completionTokens: 1, cost: 0 });
    observe(sub['0'], { errorClass: null, latencyMs: 1, promptTokens: 1, completionTokens: 1, cost: 0 });
    observe(sub['11'], { errorClass: null, latencyMs: 1, promptTokens: 1, completionTokens: 1, cost: 0 });
    return { v: 1, ...b, sub };
  };

  it('puts buckets and the 5-minute parts of roll-ups on the day chart', () => {
    const window = rangeWindow('day', NOW);
    const s = summarize(
      [
        { kind: 'hour', hour: hourAt(window.from) },
        { kind: 'bucket', bucket: bucketAt(NOW - (NOW % BUCKET_MS), 2) },
      ],
      window,
    );
    expect(s.series).toHaveLength(23 * 12 + 7);
    expect(s.series[0]).toMatchObject({ t: window.from, requests: 2 });
    expect(s.series[11]).toMatchObject({ requests: 1 });
    expect(s.series.at(-1)).toMatchObject({ requests: 2, prompt_tokens: 2 });
    expect(s.totals.n).toBe(5);
    expect(s.models['openai/gpt-4o-mini'].n).toBe(5);
  });

  it('puts whole roll-ups on the week chart', () => {
    const window = rangeWindow('week', NOW);
    const s = summarize([{ kind: 'hour', hour: hourAt(window.from + 2 * HOUR_MS) }], window);
    expect(s.series).toHaveLength(168);
    expect(s.series[2].requests).toBe(3);
  });

  it('lists breakdowns busiest first', () => {
    const a = emptyCounters();
    const b = emptyCounters();
    observe(b, { errorClass: null, latencyMs: 1, promptTokens: 0, completionTokens: 0, cost: 0 });
    expect(breakdown({ a, b }, (id) => ({ id })).map((x) => x.id)).toEqual(['b', 'a']);
  });
});
