import { base64Url, hmacBase64Url, secretsEqual } from '../../lib/crypto';

/** How long a UI session lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A verified session: its id, the sign-out generation it belongs to, when it ends, its CSRF token. */
export interface Session {
  id: string;
  epoch: number;
  expiresAt: number;
  csrf: string;
}

// The signing key is derived from AUTH_KEY: changing the admin key ends every session.
const signingKeys = new Map<string, Promise<string>>();
function signingKey(authKey: string): Promise<string> {
  let key = signingKeys.get(authKey);
  if (!key) {
    if (signingKeys.size > 8) signingKeys.clear();
    key = hmacBase64Url(authKey, 'cloudrouter ui session v1');
    signingKeys.set(authKey, key);
  }
  return key;
}

async function csrfFor(key: string, id: string): Promise<string> {
  return hmacBase64Url(key, `csrf.${id}`);
}

/**
 * A new session token, `v2.<expiry>.<epoch>.<id>.<signature>`: the signature
 * is HMAC-SHA-256 under a key derived from AUTH_KEY, the CSRF token another
 * HMAC of the session's random id (so it needs no storage). `epoch` is the
 * sign-out generation (see `SessionBook`): signing out everywhere moves it on.
 */
export async function issueSession(
  authKey: string,
  now: number,
  epoch = 0,
  ttlMs = SESSION_TTL_MS,
): Promise<{ token: string } & Session> {
  const key = await signingKey(authKey);
  const id = base64Url(crypto.getRandomValues(new Uint8Array(18)));
  const expiresAt = now + ttlMs;
  const body = `v2.${expiresAt.toString(36)}.${epoch.toString(36)}.${id}`;
  const token = `${body}.${await hmacBase64Url(key, body)}`;
  return { token, id, epoch, expiresAt, csrf: await csrfFor(key, id) };
}

/**
 * The session a token stands for, or null when it is malformed, forged or
 * expired. Whether it was ended on the server is the `SessionBook`'s call.
 */
export async function verifySession(authKey: string, token: string, now: number): Promise<Session | null> {
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== 'v2' || token.length > 200) return null;
  const expiresAt = Number.parseInt(parts[1], 36);
  const epoch = Number.parseInt(parts[2], 36);
  if (!Number.isFinite(expiresAt) || expiresAt <= now || !Number.isSafeInteger(epoch)) return null;
  const key = await signingKey(authKey);
  const body = parts.slice(0, 4).join('.');
  if (!(await secretsEqual(parts[4], await hmacBase64Url(key, body)))) return null;
  return { id: parts[3], epoch, expiresAt, csrf: await csrfFor(key, parts[3]) };
}
