import { describe, expect, it } from 'vitest';
import { proxyPath } from './node-listener';

describe('proxyPath', () => {
  it('gives the path under /v1 or /api/v1, without the query', () => {
    expect(proxyPath('/v1/chat/completions')).toBe('/chat/completions');
    expect(proxyPath('/api/v1/embeddings?x=1')).toBe('/embeddings');
    expect(proxyPath('/v1/completions?')).toBe('/completions');
  });

  it('gives the path itself at the root, where the proxy answers too', () => {
    expect(proxyPath('/chat/completions')).toBe('/chat/completions');
    expect(proxyPath('/messages?beta=true')).toBe('/messages');
    expect(proxyPath('/v2/chat/completions')).toBe('/v2/chat/completions');
    expect(proxyPath('/admin/api/keys')).toBe('/admin/api/keys');
  });

  it('gives nothing for a target that is not a path, absolute-form ones included', () => {
    expect(proxyPath('http://host/v1/chat/completions')).toBe('');
    expect(proxyPath('*')).toBe('');
    expect(proxyPath(undefined)).toBe('');
  });
});
