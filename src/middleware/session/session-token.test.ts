import { describe, expect, it } from 'vitest';
import { issueSession, verifySession } from './session-token';

describe('session tokens', () => {
  it('verify until they expire, with the same CSRF token as at login', async () => {
    const issued = await issueSession('admin-key', 1000, 60_000);
    expect(await verifySession('admin-key', issued.token, 2000)).toEqual({
      expiresAt: 61_000,
      csrf: issued.csrf,
    });
    expect(await verifySession('admin-key', issued.token, 61_000)).toBeNull();
  });

  it('are refused when forged, tampered with or signed under another admin key', async () => {
    const { token } = await issueSession('admin-key', 0, 60_000);
    const [v, , id, sig] = token.split('.');
    const later = `${v}.${(10 ** 12).toString(36)}.${id}.${sig}`;
    expect(await verifySession('admin-key', later, 0)).toBeNull();
    expect(await verifySession('another-key', token, 0)).toBeNull();
    expect(await verifySession('admin-key', 'v1.zzzz.abc.def', 0)).toBeNull();
    expect(await verifySession('admin-key', '', 0)).toBeNull();
  });

  it('give each session its own CSRF token', async () => {
    const a = await issueSession('admin-key', 0);
    const b = await issueSession('admin-key', 0);
    expect(a.csrf).not.toBe(b.csrf);
    expect(a.token).not.toContain(a.csrf);
  });
});
