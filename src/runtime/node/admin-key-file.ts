import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '../../lib/crypto';

/** The admin key kept in `DATA_DIR`: the key, its file, and whether it was made just now. */
export interface AdminKeyFile {
  key: string;
  file: string;
  created: boolean;
}

/**
 * The admin key when `AUTH_KEY` is unset: generated on first start, kept in
 * `DATA_DIR/admin-key` (mode 0600), the same on every later start.
 */
export function loadOrCreateAdminKey(dataDir: string): AdminKeyFile {
  const file = join(dataDir, 'admin-key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key) return { key, file, created: false };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomToken('cra-');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, file, created: true };
}
