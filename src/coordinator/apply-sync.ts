import { CLIENT_KEY_PREFIX } from '../client-keys/client-key-record';
import type { ClientKeyService } from '../client-keys/client-key-service';
import { KEY_PREFIX, STATE_PREFIX } from '../keys/key-records';
import type { KeyService } from '../keys/key-service';
import type { StoredValue } from '../lib/stored-value';
import type { ModelMap } from '../model-map/model-map';
import type { SettingsOverrides } from '../settings/settings';
import type { SyncAnswer } from './protocol';

/** The names the coordinator keeps (the rest, stats and catalogue, stay in KV). */
export function keptByCoordinator(name: string): boolean {
  return (
    name.startsWith(KEY_PREFIX) ||
    name.startsWith(STATE_PREFIX) ||
    name.startsWith(CLIENT_KEY_PREFIX) ||
    name === 'settings' ||
    name === 'modelmap'
  );
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
    parts.clientKeys.forget();
    await Promise.all([parts.keys.reload(), parts.settings.reload(), parts.modelMap.reload()]);
    return;
  }
  if (sync.entries.length === 0) return;
  const pool = sync.entries.filter((e) => e.name.startsWith(KEY_PREFIX) || e.name.startsWith(STATE_PREFIX));
  if (pool.length) parts.keys.applyChanged(pool);
  for (const entry of sync.entries) {
    if (entry.name.startsWith(CLIENT_KEY_PREFIX)) parts.clientKeys.forget();
    else if (entry.name === 'settings') parts.settings.replace(entry.value as SettingsOverrides | null);
    else if (entry.name === 'modelmap') parts.modelMap.replace(entry.value as ModelMap | null);
  }
}
