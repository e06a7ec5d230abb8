import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_PREFIX } from '../../src/keys/key-records';
import { listAll } from '../../src/store/types';
import { type AdminHarness, fakeKey, type Json, startAdminHarness } from './admin-harness';

let h: AdminHarness;

beforeAll(async () => {
  h = await startAdminHarness();
});

afterAll(async () => {
  await h?.close();
});

async function allKeys(): Promise<Json[]> {
  const { status, json } = await h.adminJson('GET', '/keys');
  expect(status).toBe(200);
  return json.data as Json[];
}

async function storedKeyCount(): Promise<number> {
  return (await listAll(h.server.store, KEY_PREFIX)).length;
}

describe('POST /admin/api/keys', () => {
  it('answers 201 {added: [KeyView], skipped} and never the key itself', async () => {
    const secret = fakeKey('view');
    const { status, json } = await h.adminJson('POST', '/keys', { keys: [secret], label: 'team A' });
    expect(status).toBe(201);
    expect(json.skipped).toBe(0);
    expect(json.added).toHaveLength(1);
    const view = json.added[0];
    expect(view).toMatchObject({ label: 'team A', enabled: true, status: 'active' });
    expect(typeof view.id).toBe('string');
    expect(view.hint).toBe(`sk-or-v1-…${secret.slice(-4)}`);
    expect(JSON.stringify(json)).not.toContain(secret);
    expect(JSON.stringify(json)).not.toContain(secret.slice(9, 30));
  });

  it('imports 2,000 keys in one call', async () => {
    const before = (await allKeys()).length;
    const secrets = Array.from({ length: 2000 }, (_, i) => fakeKey(`b${i}x`));
    const { status, json } = await h.adminJson('POST', '/keys', { keys: secrets, label: 'bulk' });
    expect(status).toBe(201);
    expect(json.added).toHaveLength(2000);
    expect(json.skipped).toBe(0);
    const listed = await allKeys();
    expect(listed).toHaveLength(before + 2000);
    expect(listed.filter((k) => k.label === 'bulk')).toHaveLength(2000);
    expect(await storedKeyCount()).toBe(before + 2000);
  }, 60_000);

  it('trims entries, drops blanks and skips duplicates within the call and against the pool', async () => {
    const existing = fakeKey('dupe');
    expect((await h.adminJson('POST', '/keys', { keys: [existing] })).json.added).toHaveLength(1);
    const before = (await allKeys()).length;
    const fresh = [fakeKey('n1'), fakeKey('n2'), fakeKey('n3')];
    const body = {
      keys: [
        `  ${fresh[0]}  `,
        '',
        '   ',
        `\t${fresh[1]}\n`,
        fresh[0], // duplicate within the call
        existing, // already pooled
        ` ${existing} `, // already pooled, padded
        fresh[2],
        '\n',
      ],
    };
    const { status, json } = await h.adminJson('POST', '/keys', body);
    expect(status).toBe(201);
    expect(json.added).toHaveLength(3);
    expect(json.skipped).toBe(3);
    expect(json.added.map((k: Json) => k.hint)).toEqual(fresh.map((s) => `sk-or-v1-…${s.slice(-4)}`));
    expect((await allKeys()).length).toBe(before + 3);
    // The same call again adds nothing.
    const again = await h.adminJson('POST', '/keys', body);
    expect(again.json.added).toEqual([]);
    expect(again.json.skipped).toBe(6);
  });

  it('keeps every key of 50 parallel imports', async () => {
    const before = (await allKeys()).length;
    const batches = Array.from({ length: 50 }, (_, b) =>
      Array.from({ length: 4 }, (_, i) => fakeKey(`p${b}y${i}z`)),
    );
    const results = await Promise.all(
      batches.map((keys, b) => h.adminJson('POST', '/keys', { keys, label: `parallel ${b}` })),
    );
    for (const { status, json } of results) {
      expect(status).toBe(201);
      expect(json.added).toHaveLength(4);
      expect(json.skipped).toBe(0);
    }
    const listed = await allKeys();
    expect(listed).toHaveLength(before + 200);
    for (let b = 0; b < 50; b++) expect(listed.filter((k) => k.label === `parallel ${b}`)).toHaveLength(4);
    expect(await storedKeyCount()).toBe(before + 200);
  }, 60_000);

  it('refuses malformed keys one by one, saying why without echoing them, and imports the rest', async () => {
    const before = (await allKeys()).length;
    const good = [fakeKey('ok1'), fakeKey('ok2')];
    const bad = [
      'sk-or-v1-\u0007bell-in-it',
      'sk-or-v1-ключ-in-it',
      'sk-or v1-space-in-it',
      'x'.repeat(300),
      'sk-a',
    ];
    const { status, json } = await h.adminJson('POST', '/keys', {
      keys: [good[0], ...bad, good[1]],
    });
    expect(status).toBe(201);
    expect(json.added).toHaveLength(2);
    expect(json.skipped).toBe(0);
    expect(json.rejected.map((r: Json) => r.index)).toEqual([1, 2, 3, 4, 5]);
    expect(json.rejected.map((r: Json) => r.reason)).toEqual([
      'holds a control character or a character outside printable ASCII',
      'holds a control character or a character outside printable ASCII',
      'holds whitespace inside the key',
      'longer than 200 characters',
      'shorter than 8 characters',
    ]);
    const text = JSON.stringify(json);
    for (const secret of bad) expect(text).not.toContain(secret);
    const listed = await allKeys();
    expect(listed).toHaveLength(before + 2);
    expect(await storedKeyCount()).toBe(before + 2);
  });

  it('adds a key sent by two parallel imports only once', async () => {
    const shared = fakeKey('race');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => h.adminJson('POST', '/keys', { keys: [shared] })),
    );
    expect(results.reduce((n, r) => n + r.json.added.length, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.json.skipped, 0)).toBe(9);
  });

  it('rejects a body that is not the contract shape with a 400 saying what is wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"keys":"x"}', /"keys" must be an array of strings; got string/],
      ['[]', /the body must be \{"keys": \[.*\}; got an array/],
      ['{"keys":[1]}', /"keys\[0\]" must be a string/],
      ['{"keys":["ok", null]}', /"keys\[1\]" must be a string/],
      ['{}', /"keys" must be an array of strings; it is missing/],
      ['"sk-or-v1-abc"', /the body must be \{"keys".*got string/],
      ['{"keys":[], "labels":"x"}', /unknown field "labels"/],
      ['{"keys":[], "label":5}', /"label" must be a string/],
      ['{"keys":["sk-or-v1-ctl"], "label":"a\\u0001b"}', /"label" must not contain control characters/],
      ['not json', /not valid JSON/],
      ['', /not valid JSON/],
    ];
    const before = (await allKeys()).length;
    for (const [raw, message] of cases) {
      const { status, json } = await h.adminJson('POST', '/keys', undefined, { raw });
      expect(status, raw).toBe(400);
      expect(json.error.message, raw).toMatch(message);
      expect(typeof json.error.type).toBe('string');
    }
    expect((await allKeys()).length).toBe(before);
  });
});

describe('GET, PATCH and DELETE /admin/api/keys', () => {
  it('lists every key as a KeyView', async () => {
    const listed = await allKeys();
    expect(listed.length).toBeGreaterThan(0);
    for (const key of listed.slice(0, 50)) {
      expect(Object.keys(key)).toEqual(expect.arrayContaining(['id', 'label', 'hint', 'enabled', 'status']));
      expect(['active', 'cooldown', 'invalid', 'exhausted', 'disabled']).toContain(key.status);
    }
  });

  it('changes the label and the enabled flag', async () => {
    const [view] = (await h.adminJson('POST', '/keys', { keys: [fakeKey('patch')], label: 'old' })).json
      .added;
    const renamed = await h.adminJson('PATCH', `/keys/${view.id}`, { label: '  new  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ id: view.id, label: 'new', enabled: true, status: 'active' });
    const off = await h.adminJson('PATCH', `/keys/${view.id}`, { enabled: false });
    expect(off.json).toMatchObject({ enabled: false, status: 'disabled' });
    const listed = (await allKeys()).find((k) => k.id === view.id);
    expect(listed).toMatchObject({ label: 'new', enabled: false, status: 'disabled' });
    const on = await h.adminJson('PATCH', `/keys/${view.id}`, { enabled: true });
    expect(on.json).toMatchObject({ enabled: true, status: 'active' });
  });

  it('restores the previous health when a disabled key is enabled again', async () => {
    const added = (await h.adminJson('POST', '/keys', { keys: [fakeKey('cool'), fakeKey('bad')] })).json
      .added;
    const [cool, bad] = added.map((k: Json) => k.id as string);
    const keys = h.server.router.services.keys;
    keys.report(cool, { kind: 'rate-limited', retryAfterMs: 10 * 60_000, message: 'Rate limit exceeded' });
    keys.report(bad, { kind: 'unauthorized', message: 'User not found.' });
    for (const [id, health] of [
      [cool, 'cooldown'],
      [bad, 'invalid'],
    ]) {
      expect((await h.adminJson('PATCH', `/keys/${id}`, { enabled: false })).json.status).toBe('disabled');
      expect((await allKeys()).find((k) => k.id === id)?.status).toBe('disabled');
      const back = await h.adminJson('PATCH', `/keys/${id}`, { enabled: true });
      expect(back.json.status).toBe(health);
    }
  });

  it('rejects a bad PATCH body and an unknown id', async () => {
    const [view] = (await h.adminJson('POST', '/keys', { keys: [fakeKey('badpatch')] })).json.added;
    const wrong = await h.adminJson('PATCH', `/keys/${view.id}`, { enabled: 'no' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.message).toMatch(/"enabled" must be true or false/);
    const extra = await h.adminJson('PATCH', `/keys/${view.id}`, { secret: 'x' });
    expect(extra.status).toBe(400);
    expect(extra.json.error.message).toMatch(/unknown field "secret"/);
    const missing = await h.adminJson('PATCH', '/keys/0000000000000000', { enabled: false });
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toMatch(/No key with id 0000000000000000/);
  });

  it('deletes a key: 204, gone from the list and from storage, then 404', async () => {
    const [view] = (await h.adminJson('POST', '/keys', { keys: [fakeKey('del')] })).json.added;
    const res = await h.admin('DELETE', `/keys/${view.id}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await allKeys()).some((k) => k.id === view.id)).toBe(false);
    expect(await h.server.store.get(`${KEY_PREFIX}${view.id}`)).toBeNull();
    const again = await h.adminJson('DELETE', `/keys/${view.id}`);
    expect(again.status).toBe(404);
    expect(typeof again.json.error.message).toBe('string');
  });
});
