/** docs/configuration.md documents every setting of src/config/settings-table.ts, as the code has it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config/settings-table';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');

/** The rows of the settings table: `| \`NAME\` | default | runtime | meaning |`. */
function documentedRows(): Map<string, { defaultCell: string; runtime: string; meaning: string }> {
  const rows = new Map<string, { defaultCell: string; runtime: string; meaning: string }>();
  for (const line of DOC.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const name = cells[1]?.match(/^`([A-Z][A-Z0-9_]*)`$/)?.[1];
    if (name && cells.length >= 6)
      rows.set(name, { defaultCell: cells[2], runtime: cells[3], meaning: cells[4] });
  }
  return rows;
}

const RUNTIME_WORDS = { both: 'both', node: 'Node', workers: 'Workers' } as const;

function expectedDefault(value: string): string {
  if (value === '') return '(none)';
  return value.startsWith('(') ? value : `\`${value}\``;
}

describe('docs/configuration.md', () => {
  const rows = documentedRows();

  it.each(SETTINGS.map((s) => [s.name, s] as const))(
    'documents %s with its default and runtime',
    (name, setting) => {
      const row = rows.get(name);
      expect(row, `${name} is missing from the table of docs/configuration.md`).toBeDefined();
      expect(row?.defaultCell).toBe(expectedDefault(setting.default));
      expect(row?.runtime).toBe(RUNTIME_WORDS[setting.runtime]);
      expect(row?.meaning.length).toBeGreaterThan(20);
    },
  );

  it('documents no setting the code does not have', () => {
    const known = new Set<string>(SETTINGS.map((s) => s.name));
    expect([...rows.keys()].filter((name) => !known.has(name))).toEqual([]);
  });
});
