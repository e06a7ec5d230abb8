/** Crypto helpers on Web Crypto, so they run unchanged on Workers and Node. */

const encoder = new TextEncoder();

function toHex(buffer: ArrayBuffer): string {
  let out = '';
  for (const byte of new Uint8Array(buffer)) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** SHA-256 of a string, as 64 hex digits. */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** HMAC-SHA-256 of `message` under `secret`, as base64url. */
export async function hmacBase64Url(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return base64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message))));
}

/**
 * Compares two secrets in time that does not depend on where they differ:
 * both are hashed first, so even their lengths do not leak.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([sha256Hex(a), sha256Hex(b)]);
  let diff = 0;
  for (let i = 0; i < ha.length; i++) diff |= ha.charCodeAt(i) ^ hb.charCodeAt(i);
  return diff === 0;
}

/** Bytes as unpadded base64url. */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `prefix` and `bytes` random bytes in lower-case hex (no dash: its hint shows none of the random part's head). */
export function randomToken(prefix: string, bytes = 32): string {
  let out = prefix;
  for (const byte of crypto.getRandomValues(new Uint8Array(bytes))) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** A scheme prefix such as `sk-or-v1-` or `cr-`: up to three short dash-ended segments. */
const SCHEME = /^(?:[a-z0-9]{1,4}-){1,3}/i;

/**
 * The short masked form of a secret shown in views and logs: its scheme
 * prefix (`sk-or-v1-`), an ellipsis and at most the last four characters;
 * fewer when the rest is short, so a hint never gives away much of a secret.
 */
export function hintOf(secret: string): string {
  const scheme = SCHEME.exec(secret)?.[0] ?? '';
  const rest = secret.length - scheme.length;
  if (rest < 8) return '…';
  // Joined, not concatenated: one flat string, not a tree of pieces walked at every use.
  return [scheme, '…', secret.slice(rest >= 16 ? -4 : -2)].join('');
}
