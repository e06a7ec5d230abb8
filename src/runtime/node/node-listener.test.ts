import { describe, expect, it } from 'vitest';
import { proxyPath } from './node-listener';

describe('proxyPath', () => {
  it('gives the path under /v1 or /api/v1, without the query', () => {
    expect(proxyPath('/v1/chat/completions')).toBe('/chat/completions');
    expect(proxyPath('/api/v1/embeddings?x=1')).toBe('/embeddings');
    expect(proxyPath('/v1/completions?')).toBe('/completions');
  });

  it('gives nothing for any other target, absolute-form ones included', () => {
    expect(proxyPath('/v2/chat/completions')).toBe('');
    expect(proxyPath('/v1')).toBe('');
    expect(proxyPath('/admin/api/keys')).toBe('');
    expect(proxyPath('http://host/v1/chat/completions')).toBe('');
    expect(proxyPath(undefined)).toBe('');
  });
});
