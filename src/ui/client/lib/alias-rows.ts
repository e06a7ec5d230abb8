/** One row of the alias editor. */
export interface AliasRow {
  key: number;
  name: string;
  target: string;
}

let nextKey = 1;

/** Rows from a stored map, in its order. */
export function rowsOf(aliases: Record<string, string>): AliasRow[] {
  return Object.entries(aliases).map(([name, target]) => ({ key: nextKey++, name, target }));
}

/** A new row (empty, or filled in). */
export function newRow(name = '', target = ''): AliasRow {
  return { key: nextKey++, name, target };
}

/** What the editor finds wrong before saving, by row key: 'empty' or 'duplicate'. */
export function rowProblems(rows: readonly AliasRow[]): Map<number, 'empty' | 'duplicate'> {
  const problems = new Map<number, 'empty' | 'duplicate'>();
  const seen = new Set<string>();
  for (const row of rows) {
    const name = row.name.trim();
    if (!name || !row.target.trim()) problems.set(row.key, 'empty');
    else if (seen.has(name)) problems.set(row.key, 'duplicate');
    seen.add(name);
  }
  return problems;
}

/** The map to `PUT`: rows trimmed, in order. */
export function mapOf(rows: readonly AliasRow[]): { aliases: Record<string, string> } {
  const aliases: Record<string, string> = {};
  for (const row of rows) aliases[row.name.trim()] = row.target.trim();
  return { aliases };
}

/** Whether rows differ from the stored map. */
export function changed(rows: readonly AliasRow[], stored: Record<string, string>): boolean {
  return (
    JSON.stringify(mapOf(rows).aliases) !== JSON.stringify(stored) ||
    rows.length !== Object.keys(stored).length
  );
}
