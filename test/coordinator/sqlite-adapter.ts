/** Cloudflare's `ctx.storage.sql` shape over better-sqlite3 (in memory), to run the coordinator's core in Node. */
import Database from 'better-sqlite3';
import type { SqlLike } from '../../src/coordinator/coordinator-core';

export function memorySql(): SqlLike {
  const db = new Database(':memory:');
  return {
    exec(query, ...bindings) {
      const stmt = db.prepare(query);
      if (stmt.reader) {
        const rows = stmt.all(...bindings) as Array<Record<string, unknown>>;
        return { toArray: () => rows, rowsWritten: 0 };
      }
      const info = stmt.run(...bindings);
      return { toArray: () => [], rowsWritten: info.changes };
    },
  };
}
