import { ConfigError, parseConfig } from '../../config';
import { loadOrCreateAdminKey } from './admin-key-file';
import { parseArgs, USAGE } from './cli-args';
import { limitHeap } from './heap-limits';
import { startServer } from './server';

/**
 * The heap's limits (docs/deployment.md#memory): a young generation of 16 MiB (V8 grows it to 32)
 * and an old one that grows 50% between full GCs: some 20 MiB less peak RSS under load than V8's
 * own. 8 MiB cost some 25% more CPU per request in scavenges; 16 costs a few percent.
 */
const HEAP_LIMITS = { newSpaceMiB: 16, growingPercent: 50 };

/** `npm start` and the `cloudrouter` command. */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const env = { ...process.env, ...args.env };
  const config = parseConfig(env);
  // The generated admin key is printed once, when it is made; later starts say where it is kept.
  let adminLine: string | null = null;
  if (!config.authKey) {
    const admin = loadOrCreateAdminKey(config.dataDir);
    config.authKey = admin.key;
    adminLine = admin.created
      ? `  admin key:      ${admin.key} (shown only this once; kept in ${admin.file}; set AUTH_KEY to choose your own)`
      : `  admin key:      kept in ${admin.file} (set AUTH_KEY to choose your own)`;
  }
  limitHeap({ ...HEAP_LIMITS, execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS });
  const server = await startServer(config);
  const lines = [
    `CloudRouter is listening on ${server.url}`,
    `  proxy base URL: ${server.url}/v1`,
    `  admin UI:       ${server.url}/`,
  ];
  if (adminLine) lines.push(adminLine);
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: finishing in-flight requests, then stopping\n`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`cloudrouter: could not stop cleanly: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  // A bad setting or a system error (EACCES on DATA_DIR, ...) is one line; anything else is a bug: its stack.
  const oneLine = err instanceof ConfigError || (err instanceof Error && 'code' in err);
  const message = oneLine ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`cloudrouter: ${message}\n`);
  process.exit(1);
});
