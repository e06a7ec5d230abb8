import { MAX_TIMER_MS, NUMBER_LIMITS } from './limits';
import { SETTINGS, type SettingName } from './settings-table';

export { SETTINGS, type SettingName } from './settings-table';

/** How a key is chosen from the pool. */
export type KeyStrategy = 'round-robin' | 'random' | 'sticky';

/** The typed configuration, parsed once from Workers bindings or `process.env`. */
export interface Config {
  authKey: string | null;
  openrouterBaseUrl: string;
  openrouterKeys: string[];
  upstreamTimeoutMs: number;
  requestDeadlineMs: number;
  streamIdleTimeoutMs: number;
  maxAttempts: number;
  maxKeyFaults: number;
  refusalMemoryMs: number;
  keyStrategy: KeyStrategy;
  /** Each conversation stays on one key while it works. */
  conversationAffinity: boolean;
  /** An empty answer (no content, no tool call) is retried on another key. */
  retryEmptyAnswers: boolean;
  cooldownBaseMs: number;
  cooldownMaxMs: number;
  maxBodyBytes: number;
  /** Largest upstream answer read whole; larger ones fail (502). */
  maxAnswerBytes: number;
  httpReferer: string;
  xTitle: string;
  healthCheckIntervalMs: number;
  /** Node: how often the alert rules are checked (0: never). */
  alertCheckMs: number;
  healthCheckBatch: number;
  catalogRefreshMs: number;
  poolRefreshMs: number;
  poolStateRefreshMs: number;
  statsFlushMs: number;
  metricsPublic: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  port: number;
  /** Reverse proxies in front of the Node server whose X-Forwarded-For entries are believed. */
  trustedProxies: number;
  host: string;
  dataDir: string;
  shutdownGraceMs: number;
}

/** A configuration value that cannot be used; its message is one line for the operator. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, unknown>;

const DEFAULTS = Object.fromEntries(SETTINGS.map((s) => [s.name, s.default])) as Record<SettingName, string>;

/** The value given for `name` (Workers vars may be JSON numbers or booleans), or null when unset or blank. */
function given(env: Env, name: SettingName): string | null {
  const value = env[name];
  const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : null;
}

function raw(env: Env, name: SettingName): string {
  return given(env, name) ?? DEFAULTS[name];
}

function int(env: Env, name: SettingName, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = raw(env, name);
  if (!/^\d+$/.test(text)) throw new ConfigError(`${name} must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: SettingName, allowed: readonly T[]): T {
  const text = raw(env, name).toLowerCase();
  if (!(allowed as readonly string[]).includes(text)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${text}"`);
  }
  return text as T;
}

function bool(env: Env, name: SettingName): boolean {
  const text = raw(env, name).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(text)) return false;
  throw new ConfigError(`${name} must be true or false, got "${text}"`);
}

function url(env: Env, name: SettingName): string {
  const text = raw(env, name);
  try {
    const parsed = new URL(text);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${text}"`);
  }
  return text.replace(/\/+$/, '');
}

/** Splits a list of keys given by commas, whitespace or newlines; blanks dropped, duplicates kept once. */
export function splitKeys(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** Parses and validates the configuration; throws {@link ConfigError} on the first bad value. */
export function parseConfig(env: Env): Config {
  return {
    authKey: given(env, 'AUTH_KEY'),
    openrouterBaseUrl: url(env, 'OPENROUTER_BASE_URL'),
    openrouterKeys: splitKeys(raw(env, 'OPENROUTER_KEYS')),
    upstreamTimeoutMs: int(
      env,
      'UPSTREAM_TIMEOUT_MS',
      NUMBER_LIMITS.upstreamTimeoutMs.min,
      NUMBER_LIMITS.upstreamTimeoutMs.max,
    ),
    requestDeadlineMs: int(
      env,
      'REQUEST_DEADLINE_MS',
      NUMBER_LIMITS.requestDeadlineMs.min,
      NUMBER_LIMITS.requestDeadlineMs.max,
    ),
    streamIdleTimeoutMs: int(env, 'STREAM_IDLE_TIMEOUT_MS', 1000, MAX_TIMER_MS),
    maxAttempts: int(env, 'MAX_ATTEMPTS', NUMBER_LIMITS.maxAttempts.min, NUMBER_LIMITS.maxAttempts.max),
    maxKeyFaults: int(env, 'MAX_KEY_FAULTS', 0, 1000),
    refusalMemoryMs: int(env, 'REFUSAL_MEMORY_MS', 1000, MAX_TIMER_MS),
    keyStrategy: oneOf(env, 'KEY_STRATEGY', ['round-robin', 'random', 'sticky'] as const),
    conversationAffinity: bool(env, 'CONVERSATION_AFFINITY'),
    retryEmptyAnswers: bool(env, 'RETRY_EMPTY_ANSWERS'),
    cooldownBaseMs: int(env, 'COOLDOWN_BASE_MS', 100, MAX_TIMER_MS),
    cooldownMaxMs: int(env, 'COOLDOWN_MAX_MS', 1000, MAX_TIMER_MS),
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 1024),
    maxAnswerBytes: int(env, 'MAX_ANSWER_BYTES', 65_536),
    httpReferer: raw(env, 'HTTP_REFERER'),
    xTitle: raw(env, 'X_TITLE'),
    healthCheckIntervalMs: int(env, 'HEALTH_CHECK_INTERVAL_MS', 0, MAX_TIMER_MS),
    alertCheckMs: int(env, 'ALERT_CHECK_MS', 0, MAX_TIMER_MS),
    healthCheckBatch: int(env, 'HEALTH_CHECK_BATCH', 1, 1000),
    catalogRefreshMs: int(env, 'CATALOG_REFRESH_MS', 60_000, MAX_TIMER_MS),
    poolRefreshMs: int(env, 'POOL_REFRESH_MS', 1000, MAX_TIMER_MS),
    poolStateRefreshMs: int(env, 'POOL_STATE_REFRESH_MS', 1000, MAX_TIMER_MS),
    statsFlushMs: int(env, 'STATS_FLUSH_MS', 1000, MAX_TIMER_MS),
    metricsPublic: bool(env, 'METRICS_PUBLIC'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const),
    port: int(env, 'PORT', 0, 65535),
    trustedProxies: int(env, 'TRUSTED_PROXIES', 0, 10),
    host: raw(env, 'HOST'),
    dataDir: raw(env, 'DATA_DIR'),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 0, MAX_TIMER_MS),
  };
}
