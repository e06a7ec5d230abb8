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
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
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

/** A random token of `bytes` random bytes, base64url, behind `prefix`. */
export function randomToken(prefix: string, bytes = 32): string {
  return prefix + base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * The short masked form of a secret shown in views and logs: the prefix up to
 * its last dash (`sk-or-v1-`), an ellipsis and the last four characters.
 */
export function hintOf(secret: string): string {
  const tail = secret.slice(-4);
  const dash = secret.lastIndexOf('-', secret.length - 5);
  const head = dash > 0 && dash <= 12 ? secret.slice(0, dash + 1) : secret.slice(0, Math.min(3, secret.length - 8));
  return secret.length <= 8 ? `…${secret.slice(-2)}` : `${head}…${tail}`;
}
