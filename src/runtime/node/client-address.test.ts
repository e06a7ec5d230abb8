import { describe, expect, it } from 'vitest';
import { forwardedAddress } from './client-address';

describe('forwardedAddress', () => {
  it('is the socket address when no proxy is trusted, whatever the header says', () => {
    expect(forwardedAddress('203.0.113.7', '127.0.0.1', 0)).toBe('127.0.0.1');
    expect(forwardedAddress(undefined, '::1', 0)).toBe('::1');
    expect(forwardedAddress(undefined, undefined, 0)).toBe('unknown');
  });

  it('behind one proxy, is the entry that proxy appended, not what the client wrote before it', () => {
    expect(forwardedAddress('203.0.113.7', '127.0.0.1', 1)).toBe('203.0.113.7');
    expect(forwardedAddress('10.9.9.9, 6.6.6.6 ,203.0.113.7', '127.0.0.1', 1)).toBe('203.0.113.7');
  });

  it('behind two proxies, skips both; with fewer entries than proxies, takes the first there is', () => {
    expect(forwardedAddress('203.0.113.7, 198.51.100.2', '127.0.0.1', 2)).toBe('203.0.113.7');
    expect(forwardedAddress(undefined, '127.0.0.1', 1)).toBe('127.0.0.1');
    expect(forwardedAddress('', '127.0.0.1', 3)).toBe('127.0.0.1');
  });
});
