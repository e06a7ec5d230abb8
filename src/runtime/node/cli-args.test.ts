import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config';
import { parseArgs, USAGE } from './cli-args';

describe('parseArgs', () => {
  it('maps the options to their settings, as separate or inline values', () => {
    expect(parseArgs(['--port', '9000', '--host=0.0.0.0', '--data-dir', '/srv/cr'])).toEqual({
      help: false,
      env: { PORT: '9000', HOST: '0.0.0.0', DATA_DIR: '/srv/cr' },
    });
    expect(parseArgs([])).toEqual({ help: false, env: {} });
  });

  it('keeps an inline value that holds "="', () => {
    expect(parseArgs(['--data-dir=/tmp/a=b']).env.DATA_DIR).toBe('/tmp/a=b');
  });

  it('asks for help with -h or --help', () => {
    expect(parseArgs(['-h']).help).toBe(true);
    expect(parseArgs(['--port', '1', '--help']).help).toBe(true);
    expect(USAGE).toMatch(/^Usage: cloudrouter/);
  });

  it('refuses unknown options and missing values with one line', () => {
    expect(() => parseArgs(['--bogus'])).toThrow(new ConfigError('unknown option --bogus; see --help'));
    expect(() => parseArgs(['serve'])).toThrow(/unknown option serve/);
    expect(() => parseArgs(['--port'])).toThrow(new ConfigError('--port needs a value'));
  });
});
