import { ConfigError } from '../../config';

/** The usage text of the `cloudrouter` command. */
export const USAGE = `Usage: cloudrouter [options]

Runs CloudRouter, an OpenAI-compatible gateway for OpenRouter, on Node.js.

Options:
  --port <n>         port to listen on (env PORT, default 8787)
  --host <addr>      address to listen on (env HOST, default 127.0.0.1)
  --data-dir <dir>   folder for the SQLite file and the admin key (env DATA_DIR, default ./data)
  -h, --help         show this help

Every other setting is an environment variable; see docs/configuration.md.
`;

const FLAGS: Record<string, string> = { '--port': 'PORT', '--host': 'HOST', '--data-dir': 'DATA_DIR' };

/** Parses the command line into settings; unknown options stop the start. */
export function parseArgs(argv: string[]): { help: boolean; env: Record<string, string> } {
  const env: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { help: true, env };
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const name = FLAGS[flag];
    if (!name) throw new ConfigError(`unknown option ${arg}; see --help`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    env[name] = value;
  }
  return { help: false, env };
}
