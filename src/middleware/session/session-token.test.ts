import { describe, expect, it } from 'vitest';
import { issueSession, verifySession } from './session-token';

describe('session tokens', () => {
  it('verify until they expire, with the same id, epoch and CSRF token as at login', async () => {
    const issued = await issueSession('admin-key', 1000, 3, 60_000);
    expect(await verifySession('admin-key', issued.token, 2000)).toEqual({
      id: issued.id,
      epoch: 3,
      expiresAt: 61_000,
      csrf: issued.csrf,
    });
    expect(await verifySession('admin-key', issued.token, 61_000)).toBeNull();
  });

  it('are refused when forged, tampered with or signed under another admin key', async () => {
    const { token } = await issueSession('admin-key', 0, 0, 60_000);
    const [v, , epoch, id, sig] = token.split('.');
    const later = `${v}.${(10 ** 12).toString(36)}.${epoch}.${id}.${sig}`;
    expect(await verifySession('admin-key', later, 0)).toBeNull();
    const otherEpoch = `${v}.${token.split('.')[1]}.1.${id}.${sig}`;
    expect(await verifySession('admin-key', otherEpoch, 0)).toBeNull();
    expect(await verifySession('another-key', token, 0)).toBeNull();
    expect(await verifySession('admin-key', 'v2.zzzz.0.abc.def', 0)).toBeNull();
    expect(await verifySession('admin-key', '', 0)).toBeNull();
  });

  it('give each session its own id and CSRF token', async () => {
    const a = await issueSession('admin-key', 0);
    const b = await issueSession('admin-key', 0);
    expect(a.csrf).not.toBe(b.csrf);
    expect(a.id).not.toBe(b.id);
    expect(a.token).not.toContain(a.csrf);
  });
});
