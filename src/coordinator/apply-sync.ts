import { CLIENT_KEY_PREFIX } from '../client-keys/client-key-record';
import type { ClientKeyService } from '../client-keys/client-key-service';
import { KEY_PREFIX, STATE_PREFIX } from '../keys/key-records';
import type { KeyService } from '../keys/key-service';
import type { StoredValue } from '../lib/stored-value';
import { CATALOG_STORE_NAME } from '../model-map/catalog-cache';
import type { ModelMap } from '../model-map/model-map';
import type { SettingsOverrides } from '../settings/settings';
import type { SyncAnswer } from './protocol';

/**
 * The names the coordinator keeps: all but the model catalogue (large, the same for everyone, and
 * written a few times a day), which stays in KV. Stats go to the coordinator too: ten isolates'
 * 5-minute buckets alone would spend KV's 1,000 writes a day (docs/storage-schema.md).
 */
export function keptByCoordinator(name: string): boolean {
  return name !== CATALOG_STORE_NAME;
}

/** What an isolate holds in memory of the coordinator's records. */
export interface SyncedParts {
  keys: KeyService;
  clientKeys: ClientKeyService;
  settings: StoredValue<SettingsOverrides>;
  modelMap: StoredValue<ModelMap>;
}

/** Applies the changes an answer of the coordinator brought to an isolate's memory, or reloads it all. */
export async function applySync(parts: SyncedParts, sync: SyncAnswer): Promise<void> {
  if (sync.reload) {
    await Promise.all([
      parts.keys.reload(),
      parts.clientKeys.reload(),
      parts.settings.reload(),
      parts.modelMap.reload(),
    ]);
    return;
  }
  if (sync.entries.length === 0) return;
  const pool = sync.entries.filter((e) => e.name.startsWith(KEY_PREFIX) || e.name.startsWith(STATE_PREFIX));
  if (pool.length) parts.keys.applyChanged(pool);
  const clients = sync.entries.filter((e) => e.name.startsWith(CLIENT_KEY_PREFIX));
  if (clients.length) parts.clientKeys.applyChanged(clients);
  for (const entry of sync.entries) {
    if (entry.name === 'settings') parts.settings.replace(entry.value as SettingsOverrides | null);
    else if (entry.name === 'modelmap') parts.modelMap.replace(entry.value as ModelMap | null);
  }
}
