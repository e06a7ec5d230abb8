import { describe, expect, it } from 'vitest';
import { base64Url, hintOf, hmacBase64Url, randomToken, secretsEqual, sha256Hex } from './crypto';

/** How many characters of `secret` (beyond `prefix`) a hint shows. */
function revealed(hint: string, prefix: string): number {
  expect(hint.startsWith(prefix)).toBe(true);
  return hint.length - prefix.length - 1; // minus the ellipsis
}

describe('sha256Hex', () => {
  it('gives the known digests', async () => {
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('hmacBase64Url', () => {
  it('gives the RFC 4231 digest, unpadded base64url', async () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    const mac = await hmacBase64Url('Jefe', 'what do ya want for nothing?');
    const hex = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    const bytes = Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
    expect(mac).toBe(base64Url(bytes));
    expect(mac).not.toMatch(/[+/=]/);
  });
});

describe('secretsEqual', () => {
  it('is true only for equal strings, whatever their lengths', async () => {
    expect(await secretsEqual('admin-key', 'admin-key')).toBe(true);
    expect(await secretsEqual('admin-key', 'admin-kez')).toBe(false);
    expect(await secretsEqual('admin-key', 'admin-key ')).toBe(false);
    expect(await secretsEqual('', 'x')).toBe(false);
  });
});

describe('randomToken', () => {
  it('answers the prefix and 64 hex digits, different every time', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => randomToken('cr-')));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(token).toMatch(/^cr-[0-9a-f]{64}$/);
  });
});

describe('hintOf', () => {
  it('shows an OpenRouter key as its prefix and last four characters', () => {
    const key = `sk-or-v1-${'0123456789abcdef'.repeat(4)}`;
    expect(hintOf(key)).toBe('sk-or-v1-…cdef');
  });

  it('never shows more than the scheme prefix and four characters of a generated key', () => {
    for (let i = 0; i < 2000; i++) {
      const token = randomToken('cr-');
      const hint = hintOf(token);
      expect(revealed(hint, 'cr-')).toBe(4);
      expect(hint).toBe(`cr-…${token.slice(-4)}`);
    }
  });

  it('shows no head of a key without a scheme prefix', () => {
    expect(hintOf('abcdefghij-klmnopqrst')).toBe('…qrst');
    expect(hintOf('x'.repeat(40))).toBe('…xxxx');
  });

  it('treats at most three short dash-ended segments as the prefix', () => {
    const hint = hintOf(`ab-cd-ef-gh-${'z'.repeat(30)}`);
    expect(hint).toBe('ab-cd-ef-…zzzz');
  });

  it('shows less of short secrets, and nothing of very short ones', () => {
    expect(hintOf('sk-or-v1-abcdefghij')).toBe('sk-or-v1-…ij');
    expect(hintOf('abcdefghi')).toBe('…hi');
    expect(hintOf('sk-abc')).toBe('…');
    expect(hintOf('a-b-c-')).toBe('…');
    expect(hintOf('')).toBe('…');
  });

  it('never contains more than four characters of what follows the prefix, for any shape', () => {
    const shapes = [
      'k',
      'key-1',
      'sk-or-v1-',
      'sk-or-v1-x',
      'a'.repeat(9),
      'a'.repeat(15),
      'a'.repeat(16),
      'abcdefghijkl-mnopqrstuvwxyz-0123',
      'AB-CD-EF-GH-IJ-KL-MN',
    ];
    for (const secret of shapes) {
      const hint = hintOf(secret);
      const [head, tail] = hint.split('…');
      expect(tail.length).toBeLessThanOrEqual(4);
      expect(secret.startsWith(head)).toBe(true);
      expect(head.length + tail.length).toBeLessThan(Math.max(secret.length, 1));
    }
  });
});
