import { NUMBER_LIMITS } from '../config/limits';
import { AppError, isRecord } from '../errors';
import {
  bad,
  expectObject,
  optBool,
  optInt,
  optIsoDate,
  optNumberAbove,
  optString,
  optStringList,
} from '../lib/body-check';

/** Storage prefix of client keys: `ck:<id>` (see docs/storage-schema.md). */
export const CLIENT_KEY_PREFIX = 'ck:';

/** A spending cap: tokens and/or cost (USD, as OpenRouter reports `usage.cost`) per period. */
export interface SpendCap {
  period: 'day' | 'month';
  tokens: number | null;
  cost: number | null;
}

/** A client key as stored: the SHA-256 of the key and a short hint, never the key. */
export interface ClientKeyRecord {
  id: string;
  name: string;
  hash: string;
  hint: string;
  enabled: boolean;
  models: string[] | null;
  rpm: number | null;
  expires_at: string | null;
  cap: SpendCap | null;
  created_at: string;
  updated_at: string;
}

/** What the admin API shows of a client key. */
export type ClientKeyView = Omit<ClientKeyRecord, 'hash'>;

export function toClientKeyView(record: ClientKeyRecord): ClientKeyView {
  const { hash: _hash, ...view } = record;
  return view;
}

const FIELDS = ['name', 'enabled', 'models', 'rpm', 'expires_at', 'cap'] as const;

/** The editable fields of a client key, checked; absent fields are undefined. */
export type ClientKeyChange = Partial<Pick<ClientKeyRecord, (typeof FIELDS)[number]>>;

/** Checks a create or patch body; `create` requires a name. */
export function parseClientKeyChange(body: unknown, create: boolean): ClientKeyChange {
  const input = expectObject(body, FIELDS);
  const name = optString(input, 'name', 100);
  if (create && !name) throw bad('"name" is required: a non-empty string');
  if (name === '') throw bad('"name" must not be empty');
  const change: ClientKeyChange = {
    name,
    enabled: optBool(input, 'enabled'),
    models: optStringList(input, 'models', 200, 200),
    rpm: optInt(input, 'rpm', NUMBER_LIMITS.rpm),
    expires_at: optIsoDate(input, 'expires_at'),
    cap: parseCap(input.cap),
  };
  if (change.models?.length === 0) change.models = null;
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as ClientKeyChange;
}

function parseCap(value: unknown): SpendCap | null | undefined {
  if (value === undefined || value === null) return value;
  if (!isRecord(value)) throw bad('"cap" must be an object {period, tokens?, cost?} or null');
  const cap = expectObject(value, ['period', 'tokens', 'cost']);
  if (cap.period !== 'day' && cap.period !== 'month') throw bad('"cap.period" must be "day" or "month"');
  const tokens = optInt(cap, 'tokens', NUMBER_LIMITS.capTokens, 'cap.tokens') ?? null;
  const cost = optNumberAbove(cap, 'cost', NUMBER_LIMITS.capCost, 'cap.cost') ?? null;
  if (tokens === null && cost === null) throw bad('"cap" needs "tokens" or "cost"');
  return { period: cap.period, tokens, cost };
}

/** Why a client key may not be used now, or null when it may. */
export function clientKeyRefusal(record: ClientKeyRecord, now: number): AppError | null {
  if (!record.enabled)
    return new AppError(401, 'This API key is disabled', 'key_disabled', 'authentication_error', {
      'x-cloudrouter-attempts': '0',
    });
  if (record.expires_at && Date.parse(record.expires_at) <= now) {
    return new AppError(
      401,
      `This API key expired at ${record.expires_at}`,
      'key_expired',
      'authentication_error',
      {
        'x-cloudrouter-attempts': '0',
      },
    );
  }
  return null;
}

/** The refusal of a bearer that is no client key (401, as every refusal before any attempt says 0 attempts). */
export function unknownClientKey(): AppError {
  return new AppError(401, 'Invalid API key', 'invalid_api_key', 'authentication_error', {
    'x-cloudrouter-attempts': '0',
  });
}
