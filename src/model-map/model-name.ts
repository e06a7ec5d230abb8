/**
 * Pieces of OpenRouter model ids (`vendor/slug[:variant]`) and the keys the
 * catalogue index compares bare names by.
 */

/**
 * Routing variants: OpenRouter accepts them after any model id and does not
 * list them in its catalogue (unlike catalogue variants such as `:free`).
 */
export const ROUTING_VARIANTS: readonly string[] = ['nitro', 'floor', 'exacto', 'online'];

// A dated or pinned-version suffix, tried on a lower-cased name whose `.` and `_` became `-`:
// -2024-08-06, -20241022, -08-2024, -05-06 (month-day), -0613 / -2407 (4 digits), -001 (3 digits),
// or -latest.
const SUFFIX = /-(?:latest|20\d{2}-\d{2}-\d{2}|20\d{6}|\d{2}-20\d{2}|(?:0[1-9]|1[0-2])-\d{2}|\d{4}|\d{3})$/;

/** The vendor prefix of an id (`openai` for `openai/gpt-4o`), or `''` when it has no `/`. */
export function vendorOf(id: string): string {
  const slash = id.indexOf('/');
  return slash < 0 ? '' : id.slice(0, slash);
}

/** What follows the last `/` of an id (`deepseek-chat:free` for `deepseek/deepseek-chat:free`). */
export function slugOf(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** Splits `deepseek-chat:free` into `{ base: 'deepseek-chat', variant: ':free' }`; no variant is `''`. */
export function splitVariant(slug: string): { base: string; variant: string } {
  const colon = slug.indexOf(':');
  return colon < 0 ? { base: slug, variant: '' } : { base: slug.slice(0, colon), variant: slug.slice(colon) };
}

/** Splits off a trailing routing variant (`:nitro`), if any. */
export function splitRoutingVariant(name: string): { rest: string; routing: string } {
  const colon = name.lastIndexOf(':');
  if (colon > 0 && ROUTING_VARIANTS.includes(name.slice(colon + 1))) {
    return { rest: name.slice(0, colon), routing: name.slice(colon) };
  }
  return { rest: name, routing: '' };
}

function looseBase(base: string): string {
  return base.toLowerCase().replace(/[._]/g, '-');
}

/**
 * Case-insensitive key in which `.`, `-` and `_` are the same:
 * `claude-3-5-sonnet` and `Claude-3.5-Sonnet` share `claude-3-5-sonnet`. The variant is kept.
 */
export function looseKey(slug: string): string {
  const { base, variant } = splitVariant(slug);
  return looseBase(base) + variant.toLowerCase();
}

/**
 * {@link looseKey} without one dated, pinned-version or `-latest` suffix:
 * `gpt-4o-2024-08-06`, `gpt-4o-latest` and `gpt-4o` share `gpt-4o`. The variant is kept.
 */
export function stemKey(slug: string): string {
  const { base, variant } = splitVariant(slug);
  const loose = looseBase(base);
  const stem = loose.replace(SUFFIX, '');
  return (stem === '' ? loose : stem) + variant.toLowerCase();
}
