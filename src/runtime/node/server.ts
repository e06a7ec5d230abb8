import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { type CloudRouterApp, createApp } from '../../app';
import { type Config, ConfigError } from '../../config';
import type { Clock, Logger } from '../../deps';
import { sortImport } from '../../keys/key-format';
import { authKeyProblem } from '../../middleware/admin-auth/admin-access';
import { isMetricsUrl, metricsRoute } from '../../stats/metrics-route';
import { nodeClientAddress } from './client-address';
import { jsonLogger } from './json-logger';
import { NodeExchange } from './node-exchange';
import { nodeListener } from './node-listener';
import { SqliteStore } from './sqlite-store';
import { createUndiciUpstream } from './undici-upstream';

/** A running Node server. */
export interface RunningServer {
  url: string;
  port: number;
  router: CloudRouterApp;
  store: SqliteStore;
  /** Stops accepting, lets in-flight requests finish for `graceMs`, flushes, closes the database. */
  close(graceMs?: number): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartOptions {
  logger?: Logger;
  /** `:memory:` for tests that need no file. */
  databaseFile?: string;
  /** The app's clock (the screenshots' demo replays a day of traffic); the system's by default. */
  clock?: Clock;
}

/** Starts CloudRouter on Node: SQLite in `DATA_DIR`, undici upstream, node:http. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  // A short admin key is refused before anything starts (Workers answer 503 on the admin routes instead).
  const weakKey = config.authKey ? authKeyProblem(config.authKey) : null;
  if (weakKey) throw new ConfigError(weakKey);
  const logger = options.logger ?? jsonLogger(config.logLevel);
  let file = options.databaseFile;
  if (!file) {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    file = join(config.dataDir, 'cloudrouter.db');
  }
  const store = new SqliteStore(file);
  // Non-streamed bodies get the stream idle timeout too (plus a second, so a stream's own fires first).
  const upstream = createUndiciUpstream({
    bodyIdleTimeoutMs: config.streamIdleTimeoutMs + 1000,
    maxAnswerBytes: config.maxAnswerBytes,
  });
  const router = createApp({
    config,
    store,
    upstream,
    exchange: NodeExchange.of,
    clientAddress: nodeClientAddress(config.trustedProxies),
    logger,
    clock: options.clock,
    runtime: 'node',
  });
  await router.services.keys.ready();
  if (config.openrouterKeys.length) {
    const { accepted, rejected } = sortImport(config.openrouterKeys);
    for (const { index, reason } of rejected) {
      logger.log('warn', `OPENROUTER_KEYS entry ${index + 1} is not imported: ${reason}`);
    }
    const { added } = await router.services.keys.importKeys(accepted, 'OPENROUTER_KEYS');
    if (added.length) {
      logger.log('info', 'imported keys from OPENROUTER_KEYS', { added: added.length });
      // Checked on arrival (GET /key), in the background: dead keys are sorted out before traffic meets them.
      router.services.checkSoon(
        { waitUntil: () => {} },
        added.map((key) => key.id),
      );
    }
  }
  const stopTasks = router.services.startBackgroundTasks();
  const server = await new Promise<Server>((resolve, reject) => {
    // `/metrics` is Node's own route, kept out of the app's routing (the UI may catch every GET path).
    const metrics = metricsRoute(router.services);
    const fetch: typeof router.fetch = (request, ...rest) =>
      isMetricsUrl(request.url) ? metrics.fetch(request, ...rest) : router.fetch(request, ...rest);
    const s = createServer(nodeListener(router, getRequestListener(fetch, { hostname: config.host })));
    s.listen(config.port, config.host, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      stopTasks();
      store.close();
      const why = err.code === 'EADDRINUSE' ? 'the address is already in use' : err.message;
      reject(new ConfigError(`cannot listen on ${config.host}:${config.port}: ${why} (set PORT or HOST)`));
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    router,
    store,
    async close(graceMs = config.shutdownGraceMs) {
      stopTasks();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A keep-alive connection turns idle when its request ends: close it then, not at its timeout.
      const closeIdle = () => {
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      };
      closeIdle();
      const sweeper = setInterval(closeIdle, 50);
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, graceMs);
      });
      await Promise.race([closed, grace]);
      clearInterval(sweeper);
      clearTimeout(graceTimer);
      if ('closeAllConnections' in server) server.closeAllConnections();
      await router.services.shutdown();
      await upstream.close().catch(() => {});
      store.close();
    },
  };
}
