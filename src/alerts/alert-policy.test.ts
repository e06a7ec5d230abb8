import { describe, expect, it } from 'vitest';
import {
  type AlertRules,
  type AlertState,
  decideAlerts,
  EMPTY_ALERT_STATE,
  type PoolFacts,
} from './alert-policy';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);
const rules: AlertRules = {
  min_usable_keys: 5,
  key_dead: true,
  min_credit: 10,
  max_error_rate: 0.2,
  window_minutes: 30,
};
const healthy: PoolFacts = {
  usableKeys: 8,
  totalKeys: 10,
  deadKeys: [],
  creditLeft: 50,
  requests: 100,
  failed: 3,
};
const dead = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    id: `k${from + i}`,
    hint: `sk-or-v1-…${String(from + i).padStart(4, '0')}`,
    status: 'invalid' as const,
  }));

/** Runs checks one after another, as the cron does, and answers the kinds sent at each. */
function run(steps: Array<{ at: number; facts: Partial<PoolFacts> }>, r = rules) {
  let state: AlertState = EMPTY_ALERT_STATE;
  return steps.map(({ at, facts }) => {
    const out = decideAlerts(r, { ...healthy, ...facts }, state, at);
    state = out.state;
    return out.alerts;
  });
}

describe('decideAlerts', () => {
  it('sends nothing for a healthy pool', () => {
    expect(run([{ at: T0, facts: {} }])).toEqual([[]]);
  });

  it('alerts each rule that holds, with the figures it quotes', () => {
    const [first] = run([
      { at: T0, facts: {} },
      {
        at: T0 + MIN,
        facts: { usableKeys: 2, creditLeft: 4.5, requests: 40, failed: 20, deadKeys: dead(1) },
      },
    ]).slice(1);
    expect(first.map((a) => a.kind)).toEqual(['keys_low', 'key_dead', 'credit_low', 'error_rate']);
    expect(first[0]).toMatchObject({ usable_keys: 2, total_keys: 10, threshold: 5 });
    expect(first[1]).toMatchObject({ keys: [{ hint: 'sk-or-v1-…0000', status: 'invalid' }], key_count: 1 });
    expect(first[2]).toMatchObject({ credit_left: 4.5, threshold: 10 });
    expect(first[3]).toMatchObject({ requests: 40, failed: 20, error_rate: 0.5, threshold: 0.2 });
    expect(JSON.stringify(first)).not.toContain('"id"');
  });

  it('sends each alert at most once per window, and again once the window is over', () => {
    const low = { usableKeys: 1 };
    const sent = run([
      { at: T0, facts: low },
      { at: T0 + 5 * MIN, facts: low },
      { at: T0 + 29 * MIN, facts: low },
      { at: T0 + 30 * MIN, facts: low },
    ]);
    expect(sent.map((a) => a.length)).toEqual([1, 0, 0, 1]);
  });

  it('reports a key when it turns dead, not the keys dead before the first check', () => {
    const sent = run([
      { at: T0, facts: { deadKeys: dead(3) } },
      { at: T0 + 5 * MIN, facts: { deadKeys: dead(3) } },
      { at: T0 + 10 * MIN, facts: { deadKeys: dead(4) } },
    ]);
    expect(sent[0]).toEqual([]);
    expect(sent[1]).toEqual([]);
    expect(sent[2][0].keys?.map((k) => k.hint)).toEqual(['sk-or-v1-…0003']);
  });

  it('holds keys that die within the window and reports them when it ends', () => {
    const sent = run([
      { at: T0, facts: {} },
      { at: T0 + MIN, facts: { deadKeys: dead(1) } },
      { at: T0 + 2 * MIN, facts: { deadKeys: dead(3) } },
      { at: T0 + 31 * MIN, facts: { deadKeys: dead(3) } },
      { at: T0 + 70 * MIN, facts: { deadKeys: dead(3) } },
    ]);
    expect(sent.map((a) => a.map((x) => x.key_count))).toEqual([[], [1], [], [2], []]);
  });

  it('reports a key again when it comes back and dies again', () => {
    const sent = run([
      { at: T0, facts: {} },
      { at: T0 + MIN, facts: { deadKeys: dead(1) } },
      { at: T0 + 40 * MIN, facts: { deadKeys: [] } },
      { at: T0 + 80 * MIN, facts: { deadKeys: dead(1) } },
    ]);
    expect(sent.map((a) => a.length)).toEqual([0, 1, 0, 1]);
  });

  it('lists at most 20 hints of many keys dying at once, and counts them all', () => {
    const [, alerts] = run([
      { at: T0, facts: {} },
      { at: T0 + MIN, facts: { deadKeys: dead(500) } },
    ]);
    expect(alerts[0].keys).toHaveLength(20);
    expect(alerts[0].key_count).toBe(500);
  });

  it('needs enough requests for an error rate, and says nothing of unknown credit', () => {
    const sent = run([{ at: T0, facts: { requests: 3, failed: 3, creditLeft: null } }]);
    expect(sent).toEqual([[]]);
  });

  it('keeps quiet about a rule turned off', () => {
    const off: AlertRules = {
      ...rules,
      min_usable_keys: null,
      key_dead: false,
      min_credit: null,
      max_error_rate: null,
    };
    const sent = run(
      [
        { at: T0, facts: {} },
        {
          at: T0 + MIN,
          facts: { usableKeys: 0, deadKeys: dead(4), creditLeft: 0, requests: 50, failed: 50 },
        },
      ],
      off,
    );
    expect(sent).toEqual([[], []]);
  });

  it('says when the state changed, so an unchanged one is not written', () => {
    const first = decideAlerts(rules, healthy, EMPTY_ALERT_STATE, T0);
    expect(first.changed).toBe(true);
    expect(decideAlerts(rules, healthy, first.state, T0 + MIN).changed).toBe(false);
  });
});
