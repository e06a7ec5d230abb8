// Placeholder until the admin UI lands: writes an empty asset module.
import { mkdirSync, writeFileSync } from 'node:fs';

export async function buildUi() {
  mkdirSync('src/ui/generated', { recursive: true });
  writeFileSync('src/ui/generated/assets.ts', 'export const assets: Record<string, { type: string; body: string }> = {};\n');
}
