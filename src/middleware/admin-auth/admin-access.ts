import type { Context } from 'hono';
import { AppError } from '../../errors';
import { secretsEqual } from '../../lib/crypto';
import { readCookie, SESSION_COOKIE } from '../session/cookie';
import type { LoginThrottle } from '../session/login-throttle';
import type { SessionBook } from '../session/session-book';
import { type Session, verifySession } from '../session/session-token';

/** The shortest admin key accepted. */
export const MIN_AUTH_KEY_LENGTH = 16;

/** Why `key` cannot be the admin key (too short to resist guessing), or null. */
export function authKeyProblem(key: string): string | null {
  if (key.length >= MIN_AUTH_KEY_LENGTH) return null;
  return (
    `AUTH_KEY is ${key.length} characters long; it must be at least ${MIN_AUTH_KEY_LENGTH}. ` +
    'Make a good one with `openssl rand -hex 32` (or `node -e "console.log(crypto.randomBytes(32).toString(\'hex\'))"`), ' +
    'or, on Node, leave AUTH_KEY unset to have one generated.'
  );
}

/** The 503 of the admin API and UI when no admin key is set (Workers without the secret). */
export function authKeyMissing(): AppError {
  return new AppError(
    503,
    'AUTH_KEY is not set. Set it with `npx wrangler secret put AUTH_KEY` (or `--var AUTH_KEY:...` for `wrangler dev`), then reload.',
    'auth_key_missing',
  );
}

/** Options of {@link AdminAccess}. */
export interface AdminAccessOptions {
  /** The admin key, or null when none is set (Workers without the secret). */
  authKey: () => string | null;
  /** The client's address, by which failures are counted. */
  clientAddress: (c: Context) => string;
  now: () => number;
  throttle: LoginThrottle;
  sessions: SessionBook;
}

/**
 * Every way into the admin side (Bearer on the API and `/metrics`, the UI's
 * login and its session cookie) goes through here: one admin key check, one
 * count of failures per client address, one book of open sessions.
 */
export class AdminAccess {
  constructor(private readonly options: AdminAccessOptions) {}

  /** The admin key; a 503 saying how to set a good one when it is missing or too short. */
  key(): string {
    const key = this.options.authKey();
    if (!key) throw authKeyMissing();
    const problem = authKeyProblem(key);
    if (problem) throw new AppError(503, problem, 'auth_key_too_short');
    return key;
  }

  /**
   * True for the right key, always. A wrong one counts as a failure of its
   * address and answers false (the caller answers 401), or throws a 429 with
   * `Retry-After` when that address has failed too often lately.
   */
  async admits(c: Context, given: string | null): Promise<boolean> {
    const key = this.key();
    const client = this.options.clientAddress(c);
    if (given && (await secretsEqual(given, key))) {
      this.options.throttle.succeeded(client);
      return true;
    }
    const waitMs = this.options.throttle.failed(client, this.options.now());
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new AppError(
        429,
        `Too many wrong admin keys from this address; wait ${seconds} s before trying another`,
        'login_throttled',
        undefined,
        { 'retry-after': String(seconds) },
        { retry_after: seconds },
      );
    }
    return false;
  }

  /** The open session of a request's cookie, or null (none, forged, expired, or ended on the server). */
  async session(c: Context): Promise<Session | null> {
    const key = this.key();
    const token = readCookie(c.req.header('cookie'), SESSION_COOKIE);
    if (!token) return null;
    const session = await verifySession(key, token, this.options.now());
    return session && (await this.options.sessions.isOpen(session)) ? session : null;
  }

  /** The sessions' book: new sessions' epoch, ending one or all. */
  get sessions(): SessionBook {
    return this.options.sessions;
  }
}
