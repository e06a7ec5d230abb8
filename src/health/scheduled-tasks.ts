import type { Logger } from '../deps';
import type { KeyService } from '../keys/key-service';
import type { CatalogCache } from '../model-map/catalog-cache';
import type { StatsService } from '../stats/stats-service';
import type { HealthChecker } from './health-checker';

/** What the scheduled tasks work on. */
export interface ScheduledParts {
  keys: KeyService;
  catalog: CatalogCache;
  health: HealthChecker;
  stats: StatsService;
  logger: Logger;
  /** Keys checked per run (HEALTH_CHECK_BATCH). */
  batch: number;
  /** The alert rules, checked after the key checks (src/alerts). */
  alerts?: { check(): Promise<unknown> };
}

/** How often Node rolls up stats (Workers: every cron run). */
export const MAINTENANCE_MS = 5 * 60_000;

const warn = (logger: Logger, what: string) => (err: unknown) =>
  logger.log('warn', `${what} failed`, { error: String(err) });

/**
 * One scheduled run (the Workers cron, the Node timer): the catalogue when
 * stale, a batch of key checks, the stats (write, roll up), the key states.
 * Each step runs even when another failed.
 */
export async function runScheduledTasks(parts: ScheduledParts): Promise<void> {
  const { keys, catalog, health, stats, logger } = parts;
  await Promise.all([keys.ready(), catalog.load()]);
  await catalog.refreshIfStale().catch(warn(logger, 'catalogue refresh'));
  await health.run(parts.batch).catch(warn(logger, 'key health check'));
  await stats.maintain().catch(warn(logger, 'stats roll-up'));
  await parts.alerts?.check().catch(warn(logger, 'alert check'));
  await keys.flush();
}

/**
 * Node's timers (all `unref`: they never keep the process alive): write stats
 * (checked every half second) when due, roll them up every 5 minutes, run the
 * scheduled tasks every `intervalMs` (0: never), check the alerts every `alertCheckMs` (0: never).
 * Answers the stop function.
 */
export function startTimers(
  parts: ScheduledParts,
  intervalMs: number,
  run: () => Promise<void>,
  alertCheckMs = 0,
): () => void {
  const { stats, logger } = parts;
  let busy = false;
  const once = (task: () => Promise<void>) => () => {
    if (busy) return;
    busy = true;
    task()
      .catch(warn(logger, 'scheduled run'))
      .finally(() => {
        busy = false;
      });
  };
  stats.usageReady().catch(warn(logger, 'usage load'));
  const timers = [
    setInterval(() => {
      if (stats.recorder.flushDue()) stats.recorder.flush().catch(warn(logger, 'stats flush'));
    }, 500),
    setInterval(
      once(() => stats.maintain()),
      MAINTENANCE_MS,
    ),
  ];
  if (intervalMs > 0) timers.push(setInterval(once(run), intervalMs));
  // The alerts on a timer of their own: a long health check does not hold them up.
  const alerts = parts.alerts;
  if (alerts && alertCheckMs > 0)
    timers.push(setInterval(() => alerts.check().catch(warn(logger, 'alert check')), alertCheckMs));
  for (const timer of timers) (timer as { unref?: () => void }).unref?.();
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
