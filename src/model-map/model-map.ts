import { countWildcards } from '../lib/glob';

/**
 * The admin's model map, as stored and as `GET/PUT /admin/api/model-map` show it:
 * `{"aliases": {"deepseek-coder": "deepseek/deepseek-coder", "gpt-4o*": "openai/gpt-4o*"}}`.
 * A name holding `*` is a pattern; its captures fill the target's `*` in order.
 */
export interface ModelMap {
  aliases: Record<string, string>;
}

/** Limits enforced by {@link parseModelMap}. */
export const MODEL_MAP_LIMITS = { maxAliases: 2000, maxNameLength: 200, maxTargetLength: 200 } as const;

/** An empty map: every name resolves through the catalogue or passes through. */
export const EMPTY_MODEL_MAP: ModelMap = Object.freeze({ aliases: Object.freeze({}) }) as ModelMap;

/** The outcome of {@link parseModelMap}. */
export type ParseModelMapResult = { ok: true; map: ModelMap } | { ok: false; error: string };

// Model ids are printable ASCII without spaces; a name outside it could never be asked for
// (the proxy refuses such names) and a target outside it could not go into a header.
const BAD_CHARS = /[^\x21-\x7e]/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkText(label: string, what: string, value: unknown, max: number): string | null {
  if (typeof value !== 'string' || value.trim() === '') return `${label} must be a non-empty string`;
  const text = value.trim();
  if (text.length > max)
    return `${label}: the ${what} is ${text.length} characters long; at most ${max} are allowed`;
  if (BAD_CHARS.test(text))
    return `${label}: the ${what} must be printable ASCII without spaces or control characters`;
  if (text.includes('**')) return `${label}: the ${what} holds "**"; use a single "*"`;
  return null;
}

/**
 * Validates an untrusted model map (a `PUT` body or a stored copy) and answers
 * a clean copy, names and targets trimmed, or one message saying what is wrong,
 * such as `aliases["gpt-4o*"] must be a non-empty string`. Rules: an object
 * with only `aliases`, an object of at most 2,000 entries; names and targets
 * non-empty strings of at most 200 printable ASCII characters, without spaces or `**`;
 * a target holds at most as many `*` as its name; no two names equal once trimmed.
 */
export function parseModelMap(input: unknown): ParseModelMapResult {
  const fail = (error: string): ParseModelMapResult => ({ ok: false, error });
  if (!isPlainObject(input))
    return fail('the model map must be a JSON object like {"aliases": {"name": "target"}}');
  const extra = Object.keys(input).filter((k) => k !== 'aliases');
  if (extra.length > 0) return fail(`unknown field "${extra[0]}"; the model map holds only "aliases"`);
  const { aliases } = input;
  if (!isPlainObject(aliases)) return fail('aliases must be an object of "name": "target" strings');
  const entries = Object.entries(aliases);
  if (entries.length > MODEL_MAP_LIMITS.maxAliases) {
    return fail(`aliases has ${entries.length} entries; at most ${MODEL_MAP_LIMITS.maxAliases} are allowed`);
  }
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [rawName, rawTarget] of entries) {
    const label = `aliases[${JSON.stringify(shorten(rawName))}]`;
    const nameError = checkText(label, 'name', rawName, MODEL_MAP_LIMITS.maxNameLength);
    if (nameError) return fail(rawName.trim() === '' ? 'aliases has an empty name' : nameError);
    const targetError = checkText(label, 'target', rawTarget, MODEL_MAP_LIMITS.maxTargetLength);
    if (targetError) return fail(targetError);
    const name = rawName.trim();
    const target = (rawTarget as string).trim();
    if (seen.has(name)) return fail(`${label}: the name "${name}" appears twice once spaces are trimmed`);
    seen.add(name);
    const nameStars = countWildcards(name);
    const targetStars = countWildcards(target);
    if (targetStars > nameStars) {
      return fail(
        `${label}: the target "${target}" holds ${targetStars} "*" but the name holds ${nameStars}; ` +
          'each "*" of a target is filled by the matching "*" of its name',
      );
    }
    out.push([name, target]);
  }
  // fromEntries defines own properties, so a name like "__proto__" stays a plain key.
  return { ok: true, map: { aliases: Object.fromEntries(out) } };
}
