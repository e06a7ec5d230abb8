import { AlertService } from './alerts/alert-service';
import { type AlertSettings, DEFAULT_ALERT_SETTINGS } from './alerts/alert-settings';
import { ClientKeyDirectory } from './client-keys/client-key-directory';
import type { ClientKeyRecord } from './client-keys/client-key-record';
import { ClientKeyService } from './client-keys/client-key-service';
import type { Config } from './config';
import { applySync, keptByCoordinator, type SyncedParts } from './coordinator/apply-sync';
import { CoordinatedLimits } from './coordinator/coordinated-limits';
import { CoordinatorLink, CoordinatorUnavailable } from './coordinator/coordinator-link';
import { CoordinatorStore } from './coordinator/coordinator-store';
import type { CoordinatorAnswer } from './coordinator/protocol';
import { type AppDeps, type ClientExchange, type Clock, type Logger, systemClock } from './deps';
import { HealthChecker } from './health/health-checker';
import { runScheduledTasks, type ScheduledParts, startTimers } from './health/scheduled-tasks';
import { KeyPool } from './keys/key-pool';
import { KeyService } from './keys/key-service';
import { StoredValue } from './lib/stored-value';
import type { Limits } from './limits/limits';
import { LocalLimits } from './limits/local-limits';
import { AdminAccess } from './middleware/admin-auth/admin-access';
import { LoginThrottle } from './middleware/session/login-throttle';
import { SessionBook } from './middleware/session/session-book';
import { CatalogCache } from './model-map/catalog-cache';
import type { ModelMap } from './model-map/model-map';
import type { OpenRouterModel } from './model-map/models-list';
import { ModelResolver } from './proxy/model-resolver';
import { type PreparedRequest, prepareRequest } from './proxy/prepare-request';
import type { Recorder } from './proxy/request-record';
import { effectiveSettings, type Settings, type SettingsOverrides } from './settings/settings';
import { StatsService } from './stats/stats-service';
import { RoutedStore } from './store/routed-store';

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
  /** Stats, the recent-requests log, usage per client key (src/stats). */
  stats: StatsService;
  /** Key health checks through GET /key (src/health). */
  health: HealthChecker;
  /** The alert rules and webhooks the admin set (`alerts` record). */
  alertSettings: StoredValue<AlertSettings>;
  /** Checks the alert rules and posts to the webhooks (src/alerts). */
  alerts: AlertService;
  /** Checks these keys now (on Workers at most HEALTH_CHECK_BATCH of them: `remaining` were not). */
  checkKeys(ids: string[]): Promise<{ checked: number; remaining: number }>;
  settings(): Settings;
  /** Resolves models and checks the client key's policies (throws the refusal). */
  prepareRequest(client: ClientKeyRecord, json: Record<string, unknown>, text: string): PreparedRequest;
  /** The client keys' rpm and spending caps: admitted before a request goes upstream, settled after. */
  limits: Limits;
  /** Every way into the admin side: the admin key, failures per address, the UI's sessions. */
  adminAccess: AdminAccess;
  /** Lets pending state writes finish after the answer (Workers: `waitUntil`). */
  flushSoon(ex: Pick<ClientExchange, 'waitUntil'>): void;
  /**
   * After a request's attempts: pending writes (as {@link flushSoon}), and the
   * `GET /key` check of the keys its failures asked for, in the background.
   */
  afterAttempts(ex: Pick<ClientExchange, 'waitUntil'>, keysToCheck: readonly string[]): void;
  /**
   * Checks these keys soon (`GET /key`), in the background: each at most once
   * a minute unless its health changed since, on Workers at most {@link CHECKS_PER_INVOCATION} per call (the
   * cron's runs take the rest, never-checked keys first).
   */
  checkSoon(ex: Pick<ClientExchange, 'waitUntil'>, ids: readonly string[]): void;
  /**
   * Null once what a request needs is in memory: the keys, the model map, the
   * settings and the model catalogue (read from storage, fetched only when none
   * is stored); before that, a promise of it. With a coordinator, also a sync when this isolate's
   * last one is a second old, unless `client` has limits (its admission call brings the changes).
   */
  loading(client?: Pick<ClientKeyRecord, 'rpm' | 'cap'>): Promise<unknown> | null;
  /** Resolves once this isolate has the coordinator's latest changes (at once without one; after 5 s when it is down). */
  synced(): Promise<void>;
  /** Timers for checks, catalogue refresh and flushes (Node); returns a stop function. */
  startBackgroundTasks(): () => void;
  /** What the cron trigger (Workers) and the timers (Node) run: checks, catalogue refresh, flushes. */
  runScheduled(): Promise<void>;
  /** Writes everything still buffered. */
  shutdown(): Promise<void>;
}

const silent: Logger = { log: () => {} };

/** Keys checked in the background by one Workers invocation (of its 50 subrequests on the free plan). */
export const CHECKS_PER_INVOCATION = 20;

/** A key is checked in the background at most this often. */
const CHECK_GAP_MS = 60_000;

export function createServices(deps: AppDeps): Services {
  const { config } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silent;
  const onWorkers = deps.runtime === 'workers';
  // With a coordinator, its answers bring every change: nothing is re-read on a timer.
  let synced: SyncedParts | null = null;
  const link = deps.coordinator
    ? new CoordinatorLink({
        call: (request) => deps.coordinator?.call(request) as Promise<CoordinatorAnswer>,
        clock,
        logger,
        onSync: (sync) => (synced ? applySync(synced, sync) : undefined),
      })
    : null;
  const store = link
    ? new RoutedStore(new CoordinatorStore(link, () => clock.now()), deps.store, keptByCoordinator)
    : deps.store;
  const refreshMs = onWorkers && !link ? config.poolRefreshMs : 0;
  const pool = new KeyPool({
    strategy: config.keyStrategy,
    cooldown: {
      baseMs: config.cooldownBaseMs,
      maxMs: config.cooldownMaxMs,
      refusalMs: config.refusalMemoryMs,
    },
  });
  const keys = new KeyService({
    store,
    pool,
    clock,
    logger,
    refreshMs,
    statesRefreshMs: config.poolStateRefreshMs,
  });
  const adminAccess = new AdminAccess({
    authKey: () => config.authKey,
    clientAddress: (c) => deps.clientAddress(c),
    now: () => clock.now(),
    throttle: new LoginThrottle(),
    sessions: new SessionBook({ store, clock, refreshMs }),
  });
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
  let catalogLoading: Promise<void> | null = null;
  let catalogTriedAt = Number.NEGATIVE_INFINITY;
  const catalogReady = () => {
    if (catalog.current()) return null;
    // After a failed attempt, requests go on unresolved for a minute rather than each waiting on it.
    if (!catalogLoading && clock.now() - catalogTriedAt < 60_000) return null;
    catalogTriedAt = clock.now();
    catalogLoading ??= catalog
      .load()
      .then(() => (catalog.current() ? undefined : catalog.refreshIfStale().then(() => undefined)))
      .catch((err) => logger.log('warn', 'model catalogue unavailable', { error: String(err) }))
      .finally(() => {
        catalogLoading = null;
      });
    return catalogLoading;
  };
  let settingsFor: SettingsOverrides | null = null;
  let settings = effectiveSettings(config, {});
  const stats = new StatsService({
    store,
    clock,
    logger,
    runtime: deps.runtime,
    flushMs: config.statsFlushMs,
    requestLogs: deps.runtime === 'node',
  });
  const health = new HealthChecker({
    keys,
    upstream: deps.upstream,
    clock,
    logger,
    baseUrl: config.openrouterBaseUrl,
    timeoutMs: Math.min(config.upstreamTimeoutMs, 15_000),
  });
  const alertSettings = new StoredValue<AlertSettings>({
    store,
    clock,
    name: 'alerts',
    fallback: DEFAULT_ALERT_SETTINGS,
    refreshMs,
  });
  const alerts = new AlertService({
    store,
    settings: alertSettings,
    pool,
    poolReady: () => keys.ready(),
    stats,
    upstream: deps.upstream,
    clock,
    logger,
  });
  const scheduled: ScheduledParts = {
    keys,
    catalog,
    health,
    stats,
    logger,
    batch: config.healthCheckBatch,
    alerts,
  };
  // Runs `task` after the answer without holding it up; its failure is logged.
  const defer = (ex: Pick<ClientExchange, 'waitUntil'>, task: Promise<unknown> | null) => {
    if (task)
      ex.waitUntil(task.catch((err) => logger.log('warn', 'background task failed', { error: String(err) })));
  };
  const queuedChecks = new Map<string, number>();
  const clientKeys = new ClientKeyService({
    store,
    clock,
    cacheTtlMs: onWorkers && !link ? 30_000 : Number.POSITIVE_INFINITY,
    directory: link
      ? {
          keys: new ClientKeyDirectory({ store }),
          syncIsDue: () => link.syncIsDue,
          syncDue: () => link.syncDue(),
          syncForUnknown: () => link.syncForUnknown(),
          unreachable: () => (link.available ? null : new CoordinatorUnavailable('marked down')),
        }
      : undefined,
  });
  synced = { keys, clientKeys, settings: settingsStore, modelMap };
  const localLimits = new LocalLimits({ used: (client) => stats.capUsage(client) });
  const services: Services = {
    deps,
    config,
    clock,
    logger,
    keys,
    clientKeys,
    modelMap,
    catalog,
    loading: (client) => {
      const pending = keys.ready() ?? modelMap.ready() ?? settingsStore.ready() ?? catalogReady();
      if (!pending) return link && !client?.rpm && !client?.cap ? link.syncDue() : null;
      return Promise.all([keys.ready(), modelMap.ready(), settingsStore.ready(), catalogReady()]);
    },
    resolver,
    settingsStore,
    recorder: stats.recorder,
    stats,
    health,
    alertSettings,
    alerts,
    checkKeys: async (ids) => {
      const limit = deps.runtime === 'workers' ? config.healthCheckBatch : Number.MAX_SAFE_INTEGER;
      const run = await health.checkIds(ids, limit);
      return { checked: run.checked.length, remaining: run.remaining };
    },
    settings: () => {
      // Made again only when the stored overrides change (they are replaced, never mutated).
      if (settingsFor !== settingsStore.current) {
        settingsFor = settingsStore.current;
        settings = effectiveSettings(config, settingsFor);
      }
      return settings;
    },
    prepareRequest: (client, json, text) => prepareRequest(client, json, text, { resolver }),
    limits: link
      ? new CoordinatedLimits({
          link,
          fallback: localLimits,
          seen: (client) => stats.capUsageKnown(client),
          refusalNow: (client, now) => clientKeys.refusalNow(client, now),
        })
      : localLimits,
    adminAccess,
    flushSoon: (ex) => {
      defer(ex, keys.flushSoon());
      defer(ex, stats.afterRequest());
      defer(ex, services.limits.flush?.() ?? null);
    },
    afterAttempts: (ex, keysToCheck) => {
      services.flushSoon(ex);
      if (keysToCheck.length) services.checkSoon(ex, keysToCheck);
    },
    checkSoon: (ex, ids) => {
      const now = clock.now();
      for (const [id, at] of queuedChecks) if (now - at >= CHECK_GAP_MS) queuedChecks.delete(id);
      // A key changed since its last check (a new 402, say) is checked again at once.
      const fresh = [...new Set(ids)].filter((id) => {
        const at = queuedChecks.get(id);
        return at === undefined || (keys.pool.get(id)?.state.changedAt ?? 0) > at;
      });
      if (fresh.length === 0) return;
      const limit = onWorkers ? CHECKS_PER_INVOCATION : Number.MAX_SAFE_INTEGER;
      const chosen = fresh.slice(0, limit);
      for (const id of chosen) queuedChecks.set(id, now);
      defer(ex, health.checkIds(chosen, limit));
    },
    synced: () => (link ? link.syncAfterNow(5000) : Promise.resolve()),
    startBackgroundTasks: () =>
      startTimers(scheduled, config.healthCheckIntervalMs, services.runScheduled, config.alertCheckMs),
    runScheduled: () => runScheduledTasks(scheduled),
    shutdown: async () => {
      await stats.shutdown().catch((err) => logger.log('warn', 'stats flush failed', { error: String(err) }));
      await keys.flush();
    },
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
