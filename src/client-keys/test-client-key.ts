import type { ClientKeyRecord } from './client-key-record';

/** A client key's record for tests: enabled, without limits, `over` on top. */
export function testClientKey(over: Partial<ClientKeyRecord> = {}): ClientKeyRecord {
  return {
    id: 'c1',
    name: 'c',
    hash: 'h',
    hint: 'x',
    enabled: true,
    models: null,
    rpm: null,
    expires_at: null,
    cap: null,
    created_at: '',
    updated_at: '',
    ...over,
  };
}
