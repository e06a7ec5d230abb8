import { describe, expect, it } from 'vitest';
import { networkErrorText } from './network-error';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('networkErrorText', () => {
  it('says what happened by the code, never the address', () => {
    expect(networkErrorText(withCode('connect ECONNREFUSED 10.0.3.7:8443', 'ECONNREFUSED'))).toBe(
      'the connection was refused (ECONNREFUSED)',
    );
    const wrapped = new TypeError('fetch failed', {
      cause: withCode('getaddrinfo ENOTFOUND internal.corp', 'ENOTFOUND'),
    });
    expect(networkErrorText(wrapped)).toBe('the host name could not be resolved (ENOTFOUND)');
  });

  it('strips addresses from messages it has no code for', () => {
    expect(networkErrorText(new Error('socket hang up at 192.168.1.20:443'))).toBe(
      'socket hang up at (address)',
    );
    expect(networkErrorText(new Error('connect to [fd00::1]:8080 failed'))).not.toContain('fd00');
    expect(networkErrorText(new Error('proxy.internal.corp:3128 closed'))).toBe('(address) closed');
    expect(networkErrorText(new Error('Network connection lost.'))).toBe('Network connection lost.');
  });
});
