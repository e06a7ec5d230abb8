import { describe, expect, it } from 'vitest';
import { isSameOrigin } from './same-origin';

const url = 'http://router.example:8787/admin/api/keys';

describe('isSameOrigin', () => {
  it('trusts Sec-Fetch-Site when the browser sends it', () => {
    expect(isSameOrigin(url, { secFetchSite: 'same-origin' })).toBe(true);
    expect(isSameOrigin(url, { secFetchSite: 'same-site', origin: 'http://router.example:8787' })).toBe(
      false,
    );
    expect(isSameOrigin(url, { secFetchSite: 'cross-site' })).toBe(false);
  });

  it('otherwise needs an Origin naming this host, whatever the scheme (TLS proxies)', () => {
    expect(isSameOrigin(url, { origin: 'http://router.example:8787' })).toBe(true);
    expect(isSameOrigin(url, { origin: 'https://router.example:8787' })).toBe(true);
    expect(isSameOrigin(url, { origin: 'https://evil.example' })).toBe(false);
    expect(isSameOrigin(url, { origin: 'null' })).toBe(false);
    expect(isSameOrigin(url, {})).toBe(false);
  });
});
