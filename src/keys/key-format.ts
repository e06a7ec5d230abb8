/**
 * Which pasted strings can be upstream keys: the pure rule, no imports.
 * OpenRouter's keys are `sk-or-v1-` and 64 hex digits; a key holding a
 * control character, a space or a non-ASCII letter can never authenticate
 * (and cannot even be sent in a header), so pooling it only wastes an attempt
 * on every request that picks it.
 */

/** Bounds on one upstream key's length. */
export const KEY_FORMAT_LIMITS = { minLength: 8, maxLength: 200 } as const;

/** A refused key: its position in the list given, and why (never the key). */
export interface RejectedKey {
  index: number;
  reason: string;
}

/** Why `secret` (already trimmed) cannot be an upstream key, or null when it can. */
export function keyFormatProblem(secret: string): string | null {
  if (secret.length > KEY_FORMAT_LIMITS.maxLength) {
    return `longer than ${KEY_FORMAT_LIMITS.maxLength} characters`;
  }
  if (secret.length < KEY_FORMAT_LIMITS.minLength) {
    return `shorter than ${KEY_FORMAT_LIMITS.minLength} characters`;
  }
  if (/\s/.test(secret)) return 'holds whitespace inside the key';
  if (!/^[\x21-\x7e]+$/.test(secret)) {
    return 'holds a control character or a character outside printable ASCII';
  }
  return null;
}

/**
 * Splits a pasted list: the well-formed keys (trimmed; blank entries
 * dropped, as they are no key at all) and the refused ones with their reason.
 */
export function sortImport(secrets: readonly string[]): { accepted: string[]; rejected: RejectedKey[] } {
  const accepted: string[] = [];
  const rejected: RejectedKey[] = [];
  secrets.forEach((raw, index) => {
    const secret = raw.trim();
    if (secret === '') return;
    const reason = keyFormatProblem(secret);
    if (reason) rejected.push({ index, reason });
    else accepted.push(secret);
  });
  return { accepted, rejected };
}
