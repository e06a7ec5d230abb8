import { describe, expect, it } from 'vitest';
import { streamOrCancel } from './handle-request';
import { clientHeaders, isSendableHeaderValue, upstreamHeaders } from './headers';

describe('answer headers', () => {
  it('sends visible ASCII, and refuses what Node or Workers would throw on', () => {
    expect(isSendableHeaderValue('openai/gpt-4o; q=1\tx')).toBe(true);
    expect(isSendableHeaderValue('openai/模型')).toBe(false);
    expect(isSendableHeaderValue('a\r\nset-cookie: x=1')).toBe(false);
    expect(isSendableHeaderValue('caf\u00e9')).toBe(false);
  });

  it('leaves out an upstream value that cannot be sent, and keeps the rest and ours', () => {
    const headers = clientHeaders(
      { 'content-type': 'application/json', 'x-ratelimit-reset': '1\n2', 'set-cookie': 'a=b' },
      { 'x-cloudrouter-attempts': '2' },
    );
    expect(headers).toEqual({ 'content-type': 'application/json', 'x-cloudrouter-attempts': '2' });
  });

  it('keeps our value where upstream sends the same header', () => {
    const headers = clientHeaders({ 'content-type': 'text/plain' }, { 'content-type': 'application/json' });
    expect(headers).toEqual({ 'content-type': 'application/json' });
  });
});

describe('upstream headers', () => {
  const from = (headers: Record<string, string>) => ({
    eachHeader(visit: (name: string, value: string) => void) {
      for (const name in headers) visit(name, headers[name]);
    },
  });
  const none = { httpReferer: '', xTitle: '' };

  it('passes attribution, Anthropic s headers and any x-openrouter-* one; not the client s key or hop-by-hop ones', () => {
    const sent = upstreamHeaders(
      from({
        authorization: 'Bearer cr-client',
        'x-api-key': 'cr-client',
        connection: 'keep-alive',
        'transfer-encoding': 'chunked',
        cookie: 'a=b',
        'http-referer': 'https://app.example',
        'anthropic-beta': 'tools-2024',
        'x-openrouter-foo': 'bar',
        'x-openrouterish': 'no',
        'x-unrelated': 'no',
      }),
      none,
    );
    expect(sent).toEqual({
      'content-type': 'application/json',
      'accept-encoding': 'identity',
      'http-referer': 'https://app.example',
      'anthropic-beta': 'tools-2024',
      'x-openrouter-foo': 'bar',
    });
  });

  it('bounds the x-openrouter-* headers: 16 at most, names of 64 characters, values of 2 KB, sendable', () => {
    const many: Record<string, string> = {
      'x-openrouter-bad': 'a\u00e9',
      'x-openrouter-big': 'x'.repeat(2049),
      [`x-openrouter-${'n'.repeat(52)}`]: 'long name',
    };
    for (let i = 0; i < 20; i++) many[`x-openrouter-h${i}`] = 'x'.repeat(2048);
    const sent = upstreamHeaders(from(many), none);
    const passed = Object.keys(sent).filter((name) => name.startsWith('x-openrouter-'));
    expect(passed).toEqual(Array.from({ length: 16 }, (_, i) => `x-openrouter-h${i}`));
  });

  it('adds the configured attribution only when the client sent none', () => {
    const config = { httpReferer: 'https://cloudrouter.example', xTitle: 'CloudRouter' };
    expect(upstreamHeaders(from({}), config)).toMatchObject({
      'http-referer': 'https://cloudrouter.example',
      'x-title': 'CloudRouter',
    });
    const own = upstreamHeaders(from({ 'x-openrouter-title': 'Mine' }), config);
    expect(own['x-title']).toBeUndefined();
    expect(own['x-openrouter-title']).toBe('Mine');
  });
});

describe('streamOrCancel', () => {
  it('cancels the open upstream stream and frees the reservation when the answer cannot begin', () => {
    let cancelled = 0;
    let settled = 0;
    const reply = { cancel: () => void cancelled++ };
    expect(() =>
      streamOrCancel(
        reply,
        () => void settled++,
        () => {
          throw new TypeError('Invalid character in header content');
        },
      ),
    ).toThrow(TypeError);
    expect([cancelled, settled]).toEqual([1, 1]);
    const ok = new Response('x');
    expect(
      streamOrCancel(
        reply,
        () => void settled++,
        () => ok,
      ),
    ).toBe(ok);
    expect([cancelled, settled]).toEqual([1, 1]);
  });
});
