import { AppError, isRecord } from '../errors';

/**
 * Small checks for JSON bodies that throw a 400 saying exactly what is
 * wrong, e.g. `"rpm" must be a positive whole number or null`.
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

export function optPositiveInt(body: Record<string, unknown>, field: string): number | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw bad(`"${field}" must be a positive whole number or null`);
  }
  return value;
}

export function optPositiveNumber(body: Record<string, unknown>, field: string): number | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw bad(`"${field}" must be a positive number or null`);
  }
  return value;
}

export function optStringList(
  body: Record<string, unknown>,
  field: string,
  maxItems: number,
): string[] | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) throw bad(`"${field}" must be an array of strings or null`);
  if (value.length > maxItems) throw bad(`"${field}" holds at most ${maxItems} entries`);
  return value.map((item, i) => {
    if (typeof item !== 'string' || !item.trim()) throw bad(`"${field}[${i}]" must be a non-empty string`);
    return item.trim();
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
