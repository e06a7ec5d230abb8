// The shapes of the admin API's answers, as the UI reads them (see src/admin). Views the server
// defines are imported as types only, so both sides change together and nothing reaches the bundle.
import type { SpendCap } from '../../../client-keys/client-key-record';
import type { KeyView } from '../../../keys/key-view';

export type { KeyView, SpendCap };

export type KeyStatus = 'active' | 'cooldown' | 'invalid' | 'exhausted' | 'disabled';
export const KEY_STATUSES: readonly KeyStatus[] = ['active', 'cooldown', 'invalid', 'exhausted', 'disabled'];

export interface KeyPage {
  data: KeyView[];
  total: number;
  counts: Record<KeyStatus | 'all', number>;
  credit: { remaining: number; limited: number; unlimited: number; unknown: number };
  /** Keys a health check has seen, and those it has not yet (absent from older servers). */
  checks?: { checked: number; unchecked: number };
}

export interface UsageTotals {
  requests: number;
  tokens: number;
  cost: number;
}

export interface ClientKeyView {
  id: string;
  name: string;
  hint: string;
  enabled: boolean;
  models: string[] | null;
  rpm: number | null;
  expires_at: string | null;
  cap: SpendCap | null;
  created_at: string;
  usage?: { today: UsageTotals; month: UsageTotals };
}

export interface Resolution {
  name: string;
  id: string;
  via: 'alias' | 'pattern' | 'catalog' | 'catalog-normalized' | 'passthrough' | 'unresolved';
  candidates?: string[];
}

export interface CatalogModel {
  id: string;
  name: string | null;
  context_length: number | null;
  pricing: { prompt: string; completion: string } | null;
}

export interface Settings {
  key_strategy: 'round-robin' | 'random' | 'sticky';
  max_attempts: number;
  upstream_timeout_ms: number;
  request_deadline_ms: number;
  conversation_affinity: boolean;
  retry_empty_answers: boolean;
}

export interface StatsCounters {
  requests: number;
  success: number;
  failed: number;
  failures: Record<string, number>;
  prompt_tokens: number;
  completion_tokens: number;
  cost: number;
  latency_ms_avg: number | null;
}

export type StatsRange = 'day' | 'week' | 'month';

/** A breakdown row: its label fields vary (model, client, key), the counters do not. */
export type StatsRow = StatsCounters & Record<string, unknown>;

export interface Stats {
  range: StatsRange;
  bucket_ms: number;
  from: number | string;
  to: number | string;
  series: Array<StatsCounters & { t: number | string }>;
  totals: StatsCounters;
  by_model: StatsRow[];
  by_client: StatsRow[];
  by_key: StatsRow[];
}

/** One upstream attempt of a request: the key's hint (never the key), its answer and how long it took. */
export interface LogTry {
  key_id: string;
  key_hint: string;
  status: number | null;
  error_class: string | null;
  latency_ms: number;
}

export interface LogEntry {
  at?: string;
  time?: string;
  route?: string;
  client_id?: string | null;
  client_name: string | null;
  model: string | null;
  resolved_model: string | null;
  key_id?: string | null;
  key_hint: string | null;
  status: number;
  attempts: number;
  tries?: LogTry[];
  latency_ms: number;
  stream?: boolean;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost: number | null;
  error_class: string | null;
}
