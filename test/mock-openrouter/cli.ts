/**
 * Runs the mock OpenRouter standalone:
 *   node --import tsx test/mock-openrouter/cli.ts [--port N] [--no-record]
 * Prints `MOCK_URL=http://127.0.0.1:PORT/api/v1` on one line; script it over HTTP (`/__mock/...`).
 * Stops on SIGINT / SIGTERM.
 */
import { startMockOpenRouter } from './server.js';

function parseArgs(argv: string[]): { port: number; record: boolean } {
  let port = 0;
  let record = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port') port = Number(argv[++i]);
    else if (arg.startsWith('--port=')) port = Number(arg.slice(7));
    else if (arg === '--no-record') record = false;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
  return { port, record };
}

const mock = await startMockOpenRouter(parseArgs(process.argv.slice(2)));
process.stdout.write(`MOCK_URL=${mock.url}\n`);

const stop = () => {
  mock.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
