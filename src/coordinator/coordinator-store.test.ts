import { describe, expect, it } from 'vitest';
import { memorySql } from '../../test/coordinator/sqlite-adapter';
import { CoordinatorCore } from './coordinator-core';
import { CoordinatorLink } from './coordinator-link';
import { CoordinatorStore } from './coordinator-store';
import type { CoordinatorRequest } from './protocol';

function setup() {
  const core = new CoordinatorCore({ sql: memorySql(), now: () => 1_000_000 });
  const calls: CoordinatorRequest[] = [];
  const link = new CoordinatorLink({
    call: async (request) => {
      calls.push(request);
      return structuredClone(core.handle(structuredClone(request)));
    },
    clock: { now: () => 1_000_000 },
    logger: { log: () => {} },
    onSync: () => {},
  });
  return { store: new CoordinatorStore(link, () => 1_000_000), calls };
}

describe('CoordinatorStore', () => {
  it('sends the reads of one turn as one call (100 names at most), each answered its own value', async () => {
    const { store, calls } = setup();
    await Promise.all(Array.from({ length: 150 }, (_, n) => store.put(`st5:${n}`, { n })));
    expect(calls).toHaveLength(1);
    const values = await Promise.all(
      Array.from({ length: 150 }, (_, n) => store.get<{ n: number }>(`st5:${n}`)),
    );
    expect(values.map((v) => v?.n)).toEqual(Array.from({ length: 150 }, (_, n) => n));
    expect(calls).toHaveLength(3);
    expect(await store.get('st5:none')).toBeNull();
    expect(calls).toHaveLength(4);
  });
});
