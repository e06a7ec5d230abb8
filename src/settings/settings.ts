import type { Config, KeyStrategy } from '../config';
import { NUMBER_LIMITS } from '../config/limits';
import { bad, expectObject, optBool, optInt } from '../lib/body-check';

/** Settings the admin may change at run time; each overrides its configured default. */
export interface Settings {
  key_strategy: KeyStrategy;
  max_attempts: number;
  upstream_timeout_ms: number;
  request_deadline_ms: number;
  /** Each conversation stays on one key while it works (CONVERSATION_AFFINITY). */
  conversation_affinity: boolean;
  /** An empty answer is retried on another key (RETRY_EMPTY_ANSWERS). */
  retry_empty_answers: boolean;
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
    conversation_affinity: overrides.conversation_affinity ?? config.conversationAffinity,
    retry_empty_answers: overrides.retry_empty_answers ?? config.retryEmptyAnswers,
  };
}

/** Checks a PUT body; null for a field resets it to the configured default. */
export function parseSettings(body: unknown, current: SettingsOverrides): SettingsOverrides {
  const input = expectObject(body, [
    'key_strategy',
    'max_attempts',
    'upstream_timeout_ms',
    'request_deadline_ms',
    'conversation_affinity',
    'retry_empty_answers',
  ]);
  const next: SettingsOverrides = { ...current };
  if (input.key_strategy === null) delete next.key_strategy;
  else if (input.key_strategy !== undefined) {
    if (!STRATEGIES.includes(input.key_strategy as KeyStrategy)) {
      throw bad(`"key_strategy" must be one of ${STRATEGIES.join(', ')}`);
    }
    next.key_strategy = input.key_strategy as KeyStrategy;
  }
  const ranges = {
    max_attempts: NUMBER_LIMITS.maxAttempts,
    upstream_timeout_ms: NUMBER_LIMITS.upstreamTimeoutMs,
    request_deadline_ms: NUMBER_LIMITS.requestDeadlineMs,
  } as const;
  for (const field of ['max_attempts', 'upstream_timeout_ms', 'request_deadline_ms'] as const) {
    const value = optInt(input, field, ranges[field]);
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  for (const field of ['conversation_affinity', 'retry_empty_answers'] as const) {
    if (input[field] === null) delete next[field];
    else {
      const value = optBool(input, field);
      if (value !== undefined) next[field] = value;
    }
  }
  return next;
}
