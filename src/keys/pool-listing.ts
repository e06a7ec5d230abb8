import { hintOf } from '../lib/crypto';
import type { KeyPool } from './key-pool';
import { decodeState, KEY_PREFIX, type KeyRecordMeta, type KeyStateMeta, STATE_PREFIX } from './key-records';
import { initialKeyState } from './key-state';

/** One entry of a listing. */
type Listed<M> = { name: string; meta: M | null };

/**
 * Applies a listing of `key:` to the pool: adds and updates the listed keys,
 * and with `removeUnlisted` drops those no longer stored. Keys for which
 * `ownChange` holds (this isolate changed them moments ago, and the listing
 * may predate that) are left as they are.
 */
export function applyRecords(
  pool: KeyPool,
  records: Listed<KeyRecordMeta>[],
  now: number,
  options: { removeUnlisted: boolean; ownChange: (id: string) => boolean },
): void {
  const seen = new Set<string>();
  for (const { name, meta } of records) {
    if (!meta) continue;
    const id = name.slice(KEY_PREFIX.length);
    seen.add(id);
    if (options.ownChange(id)) continue;
    const known = pool.get(id) !== undefined;
    pool.upsert(
      {
        id,
        secret: meta.s,
        hint: hintOf(meta.s),
        label: meta.l,
        enabled: meta.e === 1,
        createdAt: meta.c,
        // A key new to this isolate is as old as its record, so any stored state is newer.
        state: known ? undefined : initialKeyState(meta.c),
      },
      now,
    );
  }
  if (!options.removeUnlisted) return;
  for (const key of [...pool.values()])
    if (!seen.has(key.id) && !options.ownChange(key.id)) pool.remove(key.id);
}

/**
 * Applies a listing of `ks:` (states written by any isolate) to the pool's keys.
 * A key's state in memory wins when it is `unwritten` or newer than the stored one.
 */
export function applyStates(
  pool: KeyPool,
  states: Listed<KeyStateMeta>[],
  now: number,
  unwritten: ReadonlySet<string>,
): void {
  for (const { name, meta } of states) {
    if (!meta) continue;
    const id = name.slice(STATE_PREFIX.length);
    const key = pool.get(id);
    if (!key || unwritten.has(id) || key.state.changedAt > meta.t) continue;
    const state = decodeState(meta);
    // Refusals per model live in this isolate's memory only (see key-records.ts).
    if (key.state.refusals) state.refusals = key.state.refusals;
    pool.setState(id, state, now);
    key.checkedAt = meta.ck ?? null;
    key.credit = meta.cr ?? null;
  }
}
