import type { Context } from 'hono';
import type { ClientKeyRecord } from './client-keys/client-key-record';
import { ClientKeyService } from './client-keys/client-key-service';
import { RateLimiter } from './client-keys/rate-limiter';
import type { Config } from './config';
import { type AppDeps, type Clock, type Logger, systemClock } from './deps';
import type { AppError } from './errors';
import { KeyPool } from './keys/key-pool';
import { KeyService } from './keys/key-service';
import { StoredValue } from './lib/stored-value';
import { CatalogCache } from './model-map/catalog-cache';
import type { ModelMap } from './model-map/model-map';
import type { OpenRouterModel } from './model-map/models-list';
import { ModelResolver } from './proxy/model-resolver';
import { type PreparedRequest, prepareRequest } from './proxy/prepare-request';
import type { Recorder } from './proxy/request-record';
import { effectiveSettings, type Settings, type SettingsOverrides } from './settings/settings';

/** Everything the routes share, built once from the deps. */
export interface Services {
  deps: AppDeps;
  config: Config;
  clock: Clock;
  logger: Logger;
  keys: KeyService;
  clientKeys: ClientKeyService;
  modelMap: StoredValue<ModelMap>;
  catalog: CatalogCache;
  resolver: ModelResolver;
  settingsStore: StoredValue<SettingsOverrides>;
  recorder: Recorder;
  settings(): Settings;
  /** Resolves models and checks the client key's policies (throws the refusal). */
  prepareRequest(client: ClientKeyRecord, json: Record<string, unknown>, text: string): PreparedRequest;
  /** Refuses a client key over its spending cap. */
  capRefusal(client: ClientKeyRecord): AppError | null;
  /** Lets pending state writes finish after the answer (Workers: `waitUntil`). */
  flushSoon(c: Context): void;
  /** Runs `task` after the answer without holding it up. */
  defer(c: Context | null, task: Promise<unknown> | null): void;
  /** Timers for checks, catalogue refresh and flushes (Node); returns a stop function. */
  startBackgroundTasks(): () => void;
  /** What the cron trigger (Workers) and the timers (Node) run: checks, catalogue refresh, flushes. */
  runScheduled(): Promise<void>;
  /** Writes everything still buffered. */
  shutdown(): Promise<void>;
}

const silent: Logger = { log: () => {} };

export function createServices(deps: AppDeps): Services {
  const { config, store } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silent;
  const onWorkers = deps.runtime === 'workers';
  const refreshMs = onWorkers ? config.poolRefreshMs : 0;
  const pool = new KeyPool({
    strategy: config.keyStrategy,
    cooldown: { baseMs: config.cooldownBaseMs, maxMs: config.cooldownMaxMs },
  });
  const keys = new KeyService({ store, pool, clock, logger, refreshMs });
  const settingsStore = new StoredValue<SettingsOverrides>({
    store,
    clock,
    name: 'settings',
    fallback: {},
    refreshMs,
  });
  const modelMap = new StoredValue<ModelMap>({
    store,
    clock,
    name: 'modelmap',
    fallback: { aliases: {} },
    refreshMs,
  });
  const catalog = new CatalogCache({
    store,
    now: () => clock.now(),
    refreshMs: config.catalogRefreshMs,
    fetchCatalogue: () => fetchCatalogue(deps, config),
  });
  const resolver = new ModelResolver(modelMap, catalog);
  const limiter = new RateLimiter();
  const defer = (c: Context | null, task: Promise<unknown> | null) => {
    if (!task) return;
    const safe = task.catch((err) => logger.log('warn', 'background task failed', { error: String(err) }));
    if (!c) return;
    try {
      c.executionCtx.waitUntil(safe);
    } catch {
      // Node: no execution context; the promise runs on its own.
    }
  };
  const services: Services = {
    deps,
    config,
    clock,
    logger,
    keys,
    clientKeys: new ClientKeyService({
      store,
      clock,
      cacheTtlMs: onWorkers ? 30_000 : Number.POSITIVE_INFINITY,
    }),
    modelMap,
    catalog,
    resolver,
    settingsStore,
    recorder: { record: () => {} },
    settings: () => effectiveSettings(config, settingsStore.current),
    prepareRequest: (client, json, text) =>
      prepareRequest(client, json, text, {
        resolver,
        limiter,
        now: clock.now(),
        capRefusal: services.capRefusal,
      }),
    capRefusal: () => null,
    flushSoon: (c) => defer(c, keys.flushSoon()),
    defer,
    startBackgroundTasks: () => () => {},
    runScheduled: async () => {
      await Promise.all([keys.ready(), catalog.load()]);
      await catalog
        .refreshIfStale()
        .catch((err) => logger.log('warn', 'catalogue refresh failed', { error: String(err) }));
      await keys.flush();
    },
    shutdown: () => keys.flush(),
  };
  return services;
}

async function fetchCatalogue(deps: AppDeps, config: Config): Promise<OpenRouterModel[]> {
  const reply = await deps.upstream.send({
    url: `${config.openrouterBaseUrl}/models`,
    method: 'GET',
    headers: { accept: 'application/json', 'accept-encoding': 'identity' },
    headersTimeoutMs: config.upstreamTimeoutMs,
  });
  const text = new TextDecoder().decode(await reply.bytes());
  if (reply.status !== 200) throw new Error(`GET /models answered ${reply.status}`);
  const parsed = JSON.parse(text) as { data?: OpenRouterModel[] };
  if (!Array.isArray(parsed.data)) throw new Error('GET /models answered without a data array');
  return parsed.data;
}
