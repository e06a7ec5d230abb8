/**
 * Every setting CloudRouter reads, with its default and its meaning. The same
 * names apply on both runtimes: environment variables on Node, vars and
 * secrets on Workers. `docs/configuration.md` documents each one; a test
 * fails when one is missing there.
 */
export const SETTINGS = [
  {
    name: 'AUTH_KEY',
    kind: 'string',
    runtime: 'both',
    default: '(generated on Node)',
    doc: 'The admin key for the admin API and UI.',
  },
  {
    name: 'OPENROUTER_BASE_URL',
    kind: 'url',
    runtime: 'both',
    default: 'https://openrouter.ai/api/v1',
    doc: 'Upstream base URL.',
  },
  {
    name: 'OPENROUTER_KEYS',
    kind: 'list',
    runtime: 'both',
    default: '',
    doc: 'Keys imported into the pool at start (commas or newlines).',
  },
  {
    name: 'UPSTREAM_TIMEOUT_MS',
    kind: 'int',
    runtime: 'both',
    default: '30000',
    doc: 'Wait this long for an upstream key’s response headers before moving to the next key.',
  },
  {
    name: 'REQUEST_DEADLINE_MS',
    kind: 'int',
    runtime: 'both',
    default: '120000',
    doc: 'Upper bound on all attempts of one request, until its answer starts.',
  },
  {
    name: 'STREAM_IDLE_TIMEOUT_MS',
    kind: 'int',
    runtime: 'both',
    default: '300000',
    doc: 'A stream that sends nothing for this long is ended with an error event.',
  },
  {
    name: 'MAX_ATTEMPTS',
    kind: 'int',
    runtime: 'both',
    default: '4',
    doc: 'Upstream attempts per request, each with another key.',
  },
  {
    name: 'KEY_STRATEGY',
    kind: 'enum',
    runtime: 'both',
    default: 'round-robin',
    doc: 'How a key is chosen: round-robin, random, or sticky (the same key per client key while it works).',
  },
  {
    name: 'COOLDOWN_BASE_MS',
    kind: 'int',
    runtime: 'both',
    default: '10000',
    doc: 'First cooldown after a 429 without Retry-After; doubles on each further 429.',
  },
  { name: 'COOLDOWN_MAX_MS', kind: 'int', runtime: 'both', default: '900000', doc: 'Longest cooldown.' },
  {
    name: 'MAX_BODY_BYTES',
    kind: 'int',
    runtime: 'both',
    default: '10485760',
    doc: 'Largest request body accepted; larger answers 413.',
  },
  {
    name: 'HTTP_REFERER',
    kind: 'string',
    runtime: 'both',
    default: '',
    doc: 'Sent upstream as HTTP-Referer (OpenRouter app attribution), unless the client sent one.',
  },
  {
    name: 'X_TITLE',
    kind: 'string',
    runtime: 'both',
    default: 'CloudRouter',
    doc: 'Sent upstream as X-Title (OpenRouter app attribution), unless the client sent one.',
  },
  {
    name: 'HEALTH_CHECK_INTERVAL_MS',
    kind: 'int',
    runtime: 'node',
    default: '600000',
    doc: 'Node: how often the key health check runs (Workers use the cron trigger).',
  },
  {
    name: 'HEALTH_CHECK_BATCH',
    kind: 'int',
    runtime: 'both',
    default: '40',
    doc: 'Most keys checked per scheduled run (Workers free plan: 50 subrequests per invocation).',
  },
  {
    name: 'CATALOG_REFRESH_MS',
    kind: 'int',
    runtime: 'both',
    default: '21600000',
    doc: 'How often the model catalogue is fetched from upstream.',
  },
  {
    name: 'POOL_REFRESH_MS',
    kind: 'int',
    runtime: 'workers',
    default: '60000',
    doc: "Workers: how often an isolate checks the key pool's version record in KV (and re-reads the model map and settings).",
  },
  {
    name: 'POOL_STATE_REFRESH_MS',
    kind: 'int',
    runtime: 'workers',
    default: '900000',
    doc: 'Workers: how often an isolate lists the key states other isolates wrote (invalid, exhausted, long cooldowns).',
  },
  {
    name: 'STATS_FLUSH_MS',
    kind: 'int',
    runtime: 'both',
    default: '300000',
    doc: 'How often buffered stats and logs are written to storage (Node uses 10 s at most).',
  },
  {
    name: 'METRICS_PUBLIC',
    kind: 'bool',
    runtime: 'node',
    default: 'false',
    doc: 'Node: serve /metrics without the admin key.',
  },
  { name: 'LOG_LEVEL', kind: 'enum', runtime: 'both', default: 'info', doc: 'debug, info, warn or error.' },
  { name: 'PORT', kind: 'int', runtime: 'node', default: '8787', doc: 'Node: port to listen on.' },
  {
    name: 'HOST',
    kind: 'string',
    runtime: 'node',
    default: '127.0.0.1',
    doc: 'Node: address to listen on (0.0.0.0 for all).',
  },
  {
    name: 'DATA_DIR',
    kind: 'string',
    runtime: 'node',
    default: './data',
    doc: 'Node: folder of the SQLite file and the generated admin key.',
  },
  {
    name: 'SHUTDOWN_GRACE_MS',
    kind: 'int',
    runtime: 'node',
    default: '10000',
    doc: 'Node: how long in-flight requests may finish after SIGINT/SIGTERM.',
  },
] as const;

/** The name of a setting. */
export type SettingName = (typeof SETTINGS)[number]['name'];
