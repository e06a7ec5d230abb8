// Validation shared by every Store implementation, so that a bad call fails the
// same way (same class, same message) on KV, SQLite and in memory. Messages are
// those of Workers KV (as workerd/Miniflare word them). No runtime-specific
// imports: this module runs in workerd too.
import { type ListOptions, type PutOptions, STORE_LIMITS } from './types';

/** Largest value KV accepts (25 MiB), measured on the serialised JSON. */
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;

/**
 * A call that KV would reject. `status` is the HTTP status KV answers with; the
 * message reads as KV's, e.g. `KV PUT failed: 400 Invalid expiration_ttl of 59. …`.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly op: 'GET' | 'PUT' | 'DELETE' | 'LIST',
    readonly status: number,
    detail: string,
  ) {
    super(`KV ${op} failed: ${status} ${detail}`);
  }
}

type Op = StoreError['op'];

const encoder = new TextEncoder();

/** UTF-8 encoded length of `s`. */
export function byteLength(s: string): number {
  return encoder.encode(s).byteLength;
}

/** Checks a key name as KV does: a non-empty string, not `.`/`..`, at most 512 UTF-8 bytes. */
export function validateName(op: Op, name: string): void {
  if (typeof name !== 'string') throw new StoreError(op, 400, 'Key name must be a string.');
  if (name === '') throw new StoreError(op, 400, 'Key name cannot be empty.');
  if (name === '.' || name === '..') throw new StoreError(op, 400, `"${name}" is not allowed as a key name.`);
  checkNameLength(op, name);
}

function checkNameLength(op: Op, name: string): void {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short names cannot exceed the limit.
  if (name.length * 3 <= STORE_LIMITS.maxNameBytes) return;
  const bytes = byteLength(name);
  if (bytes > STORE_LIMITS.maxNameBytes) {
    const limit = STORE_LIMITS.maxNameBytes;
    throw new StoreError(op, 414, `UTF-8 encoded length of ${bytes} exceeds key length limit of ${limit}.`);
  }
}

/** A put, checked and serialised: the JSON text of the value and meta, and the TTL in whole seconds. */
export interface CheckedPut {
  json: string;
  metaJson: string | null;
  ttlSeconds: number | null;
}

/**
 * Checks and serialises a put: the value must be JSON-serialisable (at most 25 MiB),
 * `ttlSeconds` a number ≥ 60 (fractions truncated, as KV does), `meta` JSON of at most 1024 bytes.
 */
export function validatePut(name: string, value: unknown, options: PutOptions = {}): CheckedPut {
  validateName('PUT', name);
  const json = JSON.stringify(value);
  if (json === undefined) throw new StoreError('PUT', 400, 'Value must be JSON-serialisable.');
  if (json.length * 3 > MAX_VALUE_BYTES && byteLength(json) > MAX_VALUE_BYTES) {
    throw new StoreError(
      'PUT',
      413,
      `Value length of ${byteLength(json)} exceeds limit of ${MAX_VALUE_BYTES}.`,
    );
  }
  return { json, metaJson: checkMeta(options.meta), ttlSeconds: checkTtl(options.ttlSeconds) };
}

function checkTtl(ttl: number | undefined): number | null {
  if (ttl === undefined) return null;
  const bad = (why: string) => new StoreError('PUT', 400, `Invalid expiration_ttl of ${ttl}. ${why}`);
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 1) {
    throw bad('Please specify integer greater than 0.');
  }
  const whole = Math.trunc(ttl);
  if (whole < STORE_LIMITS.minTtlSeconds) {
    throw bad(`Expiration TTL must be at least ${STORE_LIMITS.minTtlSeconds}.`);
  }
  return whole;
}

function checkMeta(meta: unknown): string | null {
  if (meta === undefined || meta === null) return null;
  const json = JSON.stringify(meta);
  if (json === undefined) throw new StoreError('PUT', 400, 'Metadata must be JSON-serialisable.');
  const bytes = byteLength(json);
  if (bytes > STORE_LIMITS.maxMetaBytes) {
    throw new StoreError(
      'PUT',
      413,
      `Metadata length of ${bytes} exceeds limit of ${STORE_LIMITS.maxMetaBytes}.`,
    );
  }
  return json;
}

/** A list call, checked: the page size and the cursor (`null` for the first page). */
export interface CheckedList {
  limit: number;
  cursor: string | null;
}

/**
 * Checks a list call: prefix at most 512 bytes, limit an integer 1..1000 (default
 * 1000). Stricter than KV, which silently treats a limit of 0 as the default.
 */
export function validateList(prefix: string, options: ListOptions = {}): CheckedList {
  if (typeof prefix !== 'string') throw new StoreError('LIST', 400, 'Prefix must be a string.');
  checkNameLength('LIST', prefix);
  const limit = options.limit ?? STORE_LIMITS.maxListLimit;
  const max = STORE_LIMITS.maxListLimit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new StoreError(
      'LIST',
      400,
      `Invalid key_count_limit of ${limit}. Please specify an integer 1..${max}.`,
    );
  }
  const cursor = options.cursor ?? null;
  if (cursor !== null && typeof cursor !== 'string')
    throw new StoreError('LIST', 400, 'Cursor must be a string.');
  return { limit, cursor: cursor === '' ? null : cursor };
}

/**
 * Compares two strings in UTF-8 byte order (= code point order), which differs
 * from JavaScript's UTF-16 order for characters above U+FFFF. Answers <0, 0 or >0.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

// Moves surrogates (U+D800..DFFF) above U+E000..FFFF so that units compare in code point order.
function fixup(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * The smallest string greater (in byte order) than every string starting with
 * `prefix`, or `null` when there is none (empty prefix, or only U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() as number;
    if (last === 0x10ffff) continue;
    const next = last === 0xd7ff ? 0xe000 : last + 1;
    return String.fromCodePoint(...points, next);
  }
  return null;
}
