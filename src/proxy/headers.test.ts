import { describe, expect, it } from 'vitest';
import { streamOrCancel } from './handle-request';
import { clientHeaders, isSendableHeaderValue } from './headers';

describe('answer headers', () => {
  it('sends visible ASCII, and refuses what Node or Workers would throw on', () => {
    expect(isSendableHeaderValue('openai/gpt-4o; q=1\tx')).toBe(true);
    expect(isSendableHeaderValue('openai/模型')).toBe(false);
    expect(isSendableHeaderValue('a\r\nset-cookie: x=1')).toBe(false);
    expect(isSendableHeaderValue('caf\u00e9')).toBe(false);
  });

  it('leaves out a value that cannot be sent, from upstream or ours, and keeps the rest', () => {
    const headers = clientHeaders(
      { 'content-type': 'application/json', 'x-ratelimit-reset': '1\n2', 'set-cookie': 'a=b' },
      { 'x-cloudrouter-attempts': '2', 'x-cloudrouter-model': 'openai/模型' },
    );
    expect(headers).toEqual({ 'content-type': 'application/json', 'x-cloudrouter-attempts': '2' });
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
