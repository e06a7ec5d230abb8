import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { startServer } from '../../src/runtime/node/server';

// The SQLite file holds the upstream keys in clear: nobody but its owner may read it.
const dataDir = join(tmpdir(), `cloudrouter-data-${randomUUID()}`, 'nested');
afterAll(() => rm(join(dataDir, '..'), { recursive: true, force: true }));

it('creates DATA_DIR 0700 and the database 0600', async () => {
  const server = await startServer(
    parseConfig({
      PORT: '0',
      AUTH_KEY: 'data-dir-test-admin-key',
      DATA_DIR: dataDir,
      OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1',
    }),
    { logger: { log: () => {} } },
  );
  try {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'cloudrouter.db')).mode & 0o777).toBe(0o600);
  } finally {
    await server.close(0);
  }
});
