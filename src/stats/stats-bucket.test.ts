import { describe, expect, it } from 'vitest';
import { addRecord, emptyBucket, MAX_MODELS_PER_BUCKET, mergeBucket, OTHER_MODELS } from './stats-bucket';
import { failedRecord, okRecord } from './test-records';

describe('a stats bucket', () => {
  it('counts a request per model, client key and each upstream key it tried', () => {
    const b = emptyBucket(0);
    const record = okRecord(0, {
      keyId: 'key-b',
      attempts: 2,
      tries: [
        { keyId: 'key-a', keyHint: 'a', status: 429, errorClass: 'rate_limited', latencyMs: 10 },
        { keyId: 'key-b', keyHint: 'b', status: 200, errorClass: null, latencyMs: 90 },
      ],
    });
    addRecord(b, record, record.usage);
    expect(b.total).toMatchObject({ n: 1, ok: 1, pt: 10, ct: 5 });
    expect(b.models['openai/gpt-4o-mini']).toMatchObject({ n: 1, ok: 1 });
    expect(b.clients['client-1']).toMatchObject({ n: 1, pt: 10 });
    expect(b.keys['key-a']).toMatchObject({ n: 1, ok: 0, f: { rate_limited: 1 }, pt: 0 });
    expect(b.keys['key-b']).toMatchObject({ n: 1, ok: 1, pt: 10, ct: 5 });
  });

  it('counts a failed request as a failure of its class, under the asked model when none resolved', () => {
    const b = emptyBucket(0);
    addRecord(b, { ...failedRecord(0, 'invalid_key', ['k1', 'k2'], 401), resolvedModel: null }, null);
    expect(b.total).toMatchObject({ n: 1, ok: 0, f: { invalid_key: 1 } });
    expect(b.models['gpt-4o-mini']).toMatchObject({ n: 1 });
    expect(Object.keys(b.keys)).toEqual(['k1', 'k2']);
  });

  it('counts every try under one name when asked to (totals without a per-key split)', () => {
    const b = emptyBucket(0);
    addRecord(b, failedRecord(0, 'invalid_key', ['k1', 'k2'], 401), null, '*');
    addRecord(b, okRecord(0, { keyId: 'k3' }), null, '*');
    expect(Object.keys(b.keys)).toEqual(['*']);
    expect(b.keys['*']).toMatchObject({ n: 3, ok: 1, f: { invalid_key: 2 } });
  });

  it('merges', () => {
    const a = emptyBucket(0);
    const b = emptyBucket(0);
    addRecord(a, okRecord(0), null);
    addRecord(b, okRecord(0, { clientKeyId: 'client-2' }), null);
    mergeBucket(a, b);
    expect(a.total.n).toBe(2);
    expect(Object.keys(a.clients).sort()).toEqual(['client-1', 'client-2']);
  });

  it('counts at most 200 model names apart, the rest together, whatever names clients send', () => {
    const bucket = emptyBucket(0);
    for (let i = 0; i < 5000; i++) {
      const name = `vendor/${String(i).padStart(4, '0')}-${'x'.repeat(190)}`;
      const record = okRecord(0, { model: name, resolvedModel: name });
      addRecord(bucket, record, record.usage);
    }
    expect(Object.keys(bucket.models)).toHaveLength(MAX_MODELS_PER_BUCKET + 1);
    expect(bucket.models[OTHER_MODELS].n).toBe(5000 - MAX_MODELS_PER_BUCKET);
    expect(bucket.total.n).toBe(5000);
    expect(JSON.stringify(bucket).length).toBeLessThan(200_000);
    const merged = emptyBucket(0);
    const other = emptyBucket(0);
    const record = okRecord(0, { model: 'vendor/late', resolvedModel: 'vendor/late' });
    addRecord(other, record, record.usage);
    mergeBucket(merged, bucket);
    mergeBucket(merged, other);
    expect(Object.keys(merged.models)).toHaveLength(MAX_MODELS_PER_BUCKET + 1);
    expect(merged.models[OTHER_MODELS].n).toBe(5001 - MAX_MODELS_PER_BUCKET);
  });
});
