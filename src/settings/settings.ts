import type { Config, KeyStrategy } from '../config';
import { bad, expectObject, optPositiveInt } from '../lib/body-check';

/** Settings the admin may change at run time; each overrides its configured default. */
export interface Settings {
  key_strategy: KeyStrategy;
  max_attempts: number;
  upstream_timeout_ms: number;
  request_deadline_ms: number;
}

/** The stored overrides (`settings` record). */
export type SettingsOverrides = Partial<Settings>;

const STRATEGIES: readonly KeyStrategy[] = ['round-robin', 'random', 'sticky'];

/** The settings in force: the overrides over the configuration. */
export function effectiveSettings(config: Config, overrides: SettingsOverrides): Settings {
  return {
    key_strategy: overrides.key_strategy ?? config.keyStrategy,
    max_attempts: overrides.max_attempts ?? config.maxAttempts,
    upstream_timeout_ms: overrides.upstream_timeout_ms ?? config.upstreamTimeoutMs,
    request_deadline_ms: overrides.request_deadline_ms ?? config.requestDeadlineMs,
  };
}

/** Checks a PUT body; null for a field resets it to the configured default. */
export function parseSettings(body: unknown, current: SettingsOverrides): SettingsOverrides {
  const input = expectObject(body, [
    'key_strategy',
    'max_attempts',
    'upstream_timeout_ms',
    'request_deadline_ms',
  ]);
  const next: SettingsOverrides = { ...current };
  if (input.key_strategy === null) delete next.key_strategy;
  else if (input.key_strategy !== undefined) {
    if (!STRATEGIES.includes(input.key_strategy as KeyStrategy)) {
      throw bad(`"key_strategy" must be one of ${STRATEGIES.join(', ')}`);
    }
    next.key_strategy = input.key_strategy as KeyStrategy;
  }
  for (const field of ['max_attempts', 'upstream_timeout_ms', 'request_deadline_ms'] as const) {
    const value = optPositiveInt(input, field);
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  if (next.max_attempts !== undefined && next.max_attempts > 20)
    throw bad('"max_attempts" must be at most 20');
  // The same floors as UPSTREAM_TIMEOUT_MS and REQUEST_DEADLINE_MS in the configuration.
  for (const field of ['upstream_timeout_ms', 'request_deadline_ms'] as const) {
    const value = next[field];
    if (value !== undefined && value < 100) throw bad(`"${field}" must be at least 100`);
  }
  return next;
}
