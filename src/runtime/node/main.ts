import { ConfigError, parseConfig } from '../../config';
import { loadOrCreateAdminKey } from './admin-key-file';
import { parseArgs, USAGE } from './cli-args';
import { startServer } from './server';

/** `npm start` and the `cloudrouter` command. */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const env = { ...process.env, ...args.env };
  const config = parseConfig(env);
  let generated = false;
  if (!config.authKey) {
    const admin = loadOrCreateAdminKey(config.dataDir);
    config.authKey = admin.key;
    generated = true;
  }
  const server = await startServer(config);
  const lines = [`CloudRouter is listening on ${server.url}`, `  proxy base URL: ${server.url}/v1`, `  admin UI:       ${server.url}/`];
  if (generated) lines.push(`  admin key:      ${config.authKey} (kept in ${config.dataDir}/admin-key; set AUTH_KEY to choose your own)`);
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: finishing in-flight requests, then stopping\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  const message = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`cloudrouter: ${message}\n`);
  process.exit(1);
});
