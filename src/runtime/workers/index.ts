import { type CloudRouterApp, createApp } from '../../app';
import { ConfigError, parseConfig } from '../../config';
import type { CoordinatorAnswer } from '../../coordinator/protocol';
import type { AppDeps, Logger } from '../../deps';
import { AppError, errorResponse } from '../../errors';
import { sortImport } from '../../keys/key-format';
import { COORDINATOR_NAME, type Coordinator } from './coordinator-object';
import { createFetchUpstream } from './fetch-upstream';
import { KvStore } from './kv-store';
import { workersExchange } from './workers-exchange';

/**
 * The bindings CloudRouter reads: KV as `ROUTER_KV`, the coordinator (a Durable Object) as
 * `COORDINATOR` when there is one, and the settings as vars and secrets.
 */
export interface WorkerEnv {
  ROUTER_KV: KVNamespace;
  COORDINATOR?: DurableObjectNamespace<Coordinator>;
  [setting: string]: unknown;
}

/** The deployment's one coordinator, through RPC on its stub; none without the binding (Pages in KV mode). */
function coordinatorOf(env: WorkerEnv): AppDeps['coordinator'] {
  const namespace = env.COORDINATOR;
  if (!namespace) return undefined;
  const id = namespace.idFromName(COORDINATOR_NAME);
  // A stub belongs to the request that made it: one per call (making one costs no I/O).
  return { call: (request) => namespace.get(id).handle(request) as Promise<CoordinatorAnswer> };
}

let instance: { env: WorkerEnv; print: string; router: CloudRouterApp; seeded: Promise<void> } | null = null;

/** The settings' values, so that an equal env (even a new object) reuses the app and its pool. */
function fingerprint(env: WorkerEnv): string {
  let print = '';
  for (const name of Object.keys(env).sort())
    if (typeof env[name] === 'string') print += `${name}=${env[name]}\n`;
  return print;
}

/** One app per isolate, rebuilt only if the bindings change. */
function routerFor(env: WorkerEnv): { router: CloudRouterApp; seeded: Promise<void> } {
  if (instance?.env === env) return instance;
  const print = fingerprint(env);
  if (
    instance &&
    instance.print === print &&
    instance.env.ROUTER_KV === env.ROUTER_KV &&
    instance.env.COORDINATOR === env.COORDINATOR
  ) {
    instance.env = env;
    return instance;
  }
  const config = parseConfig(env);
  const router = createApp({
    config,
    store: new KvStore(env.ROUTER_KV),
    // Non-streamed bodies get the stream idle timeout too (plus a second, so a stream's own fires first).
    upstream: createFetchUpstream({
      bodyIdleTimeoutMs: config.streamIdleTimeoutMs + 1000,
      maxAnswerBytes: config.maxAnswerBytes,
    }),
    exchange: workersExchange,
    coordinator: coordinatorOf(env),
    // Cloudflare sets it on every request to a Worker; a client cannot.
    clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    runtime: 'workers',
    logger: workersLogger,
  });
  const seeded = config.openrouterKeys.length
    ? router.services.keys
        .importKeys(sortImport(config.openrouterKeys).accepted, 'OPENROUTER_KEYS')
        .then(() => {})
    : Promise.resolve();
  instance = { env, print, router, seeded };
  return instance;
}

/** Warnings and errors as JSON lines in the Worker's logs (Workers Logs, `wrangler tail`). */
const workersLogger: Logger = {
  log(level, message, fields) {
    if (level === 'warn' || level === 'error') console.log(JSON.stringify({ level, message, ...fields }));
  },
};

function configProblem(err: unknown): Response {
  const message = err instanceof ConfigError ? err.message : String(err);
  return errorResponse(new AppError(500, `CloudRouter is misconfigured: ${message}`, 'config_error'));
}

export { Coordinator } from './coordinator-object';

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let app: ReturnType<typeof routerFor>;
    try {
      app = routerFor(env);
    } catch (err) {
      return configProblem(err);
    }
    await app.seeded;
    const answer = Promise.resolve(app.router.fetch(request, env, ctx));
    // A client that goes away gets its invocation cancelled: everything still pending is dropped,
    // unless held open. With `enable_request_signal` (wrangler.jsonc) the signal says so first:
    // hold the invocation until the request's own code has ended it (upstream request aborted,
    // request recorded as client_closed), as on Node.
    request.signal?.addEventListener('abort', () => ctx.waitUntil(answer.catch(() => {})), { once: true });
    return answer;
  },

  async scheduled(_event: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const { router, seeded } = routerFor(env);
    await seeded;
    ctx.waitUntil(router.services.runScheduled());
  },
} satisfies ExportedHandler<WorkerEnv>;
