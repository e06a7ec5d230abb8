import { AppError, isRecord } from '../errors';

/**
 * Small checks for JSON bodies that throw a 400 saying exactly what is
 * wrong, e.g. `"rpm" must be a whole number from 1 to 10000, or null`.
 */
export function expectObject(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (!isRecord(body)) throw bad('the body must be a JSON object');
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length) throw bad(`unknown field "${unknown[0]}"; allowed: ${allowed.join(', ')}`);
  return body;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f]/;

export function optString(body: Record<string, unknown>, field: string, max: number): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw bad(`"${field}" must be a string`);
  if (value.length > max) throw bad(`"${field}" must be at most ${max} characters`);
  const text = value.trim();
  if (CONTROL.test(text)) throw bad(`"${field}" must not contain control characters`);
  return text;
}

export function optBool(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw bad(`"${field}" must be true or false`);
  return value;
}

/** A whole number within `range`, null, or absent; a 400 naming the field and its range otherwise. */
export function optInt(
  body: Record<string, unknown>,
  field: string,
  range: { min: number; max: number },
  label = field,
): number | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw bad(`"${label}" must be a whole number from ${range.min} to ${range.max}, or null`);
  }
  return value;
}

/** A number above `range.min` and at most `range.max`, null, or absent; a 400 naming the field and its range otherwise. */
export function optNumberAbove(
  body: Record<string, unknown>,
  field: string,
  range: { min: number; max: number },
  label = field,
): number | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= range.min || value > range.max) {
    throw bad(`"${label}" must be a number above ${range.min} and at most ${range.max}, or null`);
  }
  return value;
}

export function optStringList(
  body: Record<string, unknown>,
  field: string,
  maxItems: number,
  maxLength = 200,
): string[] | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) throw bad(`"${field}" must be an array of strings or null`);
  if (value.length > maxItems) throw bad(`"${field}" holds at most ${maxItems} entries`);
  return value.map((item, i) => {
    if (typeof item !== 'string' || !item.trim()) throw bad(`"${field}[${i}]" must be a non-empty string`);
    const text = item.trim();
    if (text.length > maxLength) throw bad(`"${field}[${i}]" must be at most ${maxLength} characters`);
    if (CONTROL.test(text)) throw bad(`"${field}[${i}]" must not contain control characters`);
    return text;
  });
}

export function optIsoDate(body: Record<string, unknown>, field: string): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) {
    throw bad(`"${field}" must be an ISO-8601 date-time or null`);
  }
  return new Date(value).toISOString();
}

/** A 400 with `message`. */
export function bad(message: string): AppError {
  return new AppError(400, message, 'invalid_body');
}
