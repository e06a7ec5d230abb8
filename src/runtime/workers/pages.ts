import worker, { type WorkerEnv } from './index';

// The coordinator's class, for `wrangler pages dev`, which reads wrangler.jsonc's Durable Object
// binding and runs it locally. A deployed Pages project cannot define a Durable Object: it runs in
// KV mode, or binds COORDINATOR to a deployed Worker's Coordinator (docs/deployment.md).
export { Coordinator } from './coordinator-object';

// How often one isolate starts the scheduled tasks after a request (Pages has no cron trigger).
// Not exported: workerd takes every named export of the entry for a handler.
const TASKS_EVERY_MS = 5 * 60_000;

let lastRun = Number.NEGATIVE_INFINITY;

/** Pages calls no `scheduled` handler; the tasks ignore the controller's fields. */
function controllerAt(now: number): ScheduledController {
  return { scheduledTime: now, cron: '', noRetry() {} };
}

/**
 * The entry of Cloudflare Pages (advanced mode `_worker.js`, built by
 * scripts/build-pages.mjs): the Worker's `fetch`, and since Pages runs no cron
 * trigger, the Worker's scheduled tasks (key checks, catalogue refresh, stats
 * roll-up) started after a request, at most every 5 minutes per isolate.
 */
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const response = await worker.fetch(request, env, ctx);
    const now = Date.now();
    if (now - lastRun >= TASKS_EVERY_MS) {
      lastRun = now;
      ctx.waitUntil(worker.scheduled(controllerAt(now), env, ctx).catch(() => {}));
    }
    return response;
  },
} satisfies ExportedHandler<WorkerEnv>;
