import type { Config } from '../config';

/**
 * Client headers passed upstream as they are: attribution, Anthropic's version and beta flags (for
 * `/messages`), and content negotiation. Every `x-openrouter-*` header goes too (OpenRouter's own
 * request headers: title, categories, response caching, and whatever it adds), within the bounds
 * below. Nothing else: never the client's `authorization` or `x-api-key` (its CloudRouter key),
 * cookies or hop-by-hop headers.
 */
const PASSED = new Set([
  'http-referer',
  'x-title',
  'anthropic-version',
  'anthropic-beta',
  'accept',
  'user-agent',
]);

/** The prefix of OpenRouter's request headers, passed on whatever follows it. */
const OPENROUTER_PREFIX = 'x-openrouter-';
/** At most this many `x-openrouter-*` headers are passed on; later ones are left out. */
export const MAX_OPENROUTER_HEADERS = 16;
/** An `x-openrouter-*` header with a longer name is left out. */
export const MAX_OPENROUTER_NAME = 64;
/** An `x-openrouter-*` header with a longer value is left out. */
export const MAX_OPENROUTER_VALUE = 2048;

/** Upstream headers passed to the client; nothing else (no cookies, no hop-by-hop, no encoding). */
const RETURNED = [
  'content-type',
  'cache-control',
  'x-generation-id',
  'retry-after',
  'retry-after-ms',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-openrouter-cache-status',
];

/** A client request's headers, walked once: each by its lower-case name, repeated ones joined. */
export interface ClientHeaders {
  eachHeader(visit: (name: string, value: string) => void): void;
}

/**
 * The headers of the upstream request, without the key: the client's
 * attribution if it sent any, else the configured one. One walk over the
 * client's headers; an `x-openrouter-*` one is passed on only within
 * {@link MAX_OPENROUTER_HEADERS}, {@link MAX_OPENROUTER_NAME} and
 * {@link MAX_OPENROUTER_VALUE}, and only with a value every runtime can send.
 */
export function upstreamHeaders(
  client: ClientHeaders,
  config: Pick<Config, 'httpReferer' | 'xTitle'>,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'accept-encoding': 'identity',
  };
  let openrouter = 0;
  client.eachHeader((name, value) => {
    if (!value) return;
    if (PASSED.has(name)) headers[name] = value;
    else if (
      name.startsWith(OPENROUTER_PREFIX) &&
      openrouter < MAX_OPENROUTER_HEADERS &&
      name.length <= MAX_OPENROUTER_NAME &&
      value.length <= MAX_OPENROUTER_VALUE &&
      isSendableHeaderValue(value)
    ) {
      headers[name] = value;
      openrouter++;
    }
  });
  if (!headers['http-referer'] && config.httpReferer) headers['http-referer'] = config.httpReferer;
  if (!headers['x-title'] && !headers['x-openrouter-title'] && config.xTitle)
    headers['x-title'] = config.xTitle;
  return headers;
}

/** Visible ASCII, spaces and tabs. */
const SENDABLE = /^[\t\x20-\x7e]*$/;

/**
 * Whether a header value can be sent on every runtime: visible ASCII, spaces and tabs. Node
 * throws on control characters and anything past Latin-1, Workers' `Headers` on anything past
 * Latin-1; a value that would throw after the upstream call was made is left out instead.
 */
export function isSendableHeaderValue(value: string): boolean {
  return SENDABLE.test(value);
}

/** `headers` without the values {@link isSendableHeaderValue} refuses (the same object when all pass). */
export function sendableHeaders(headers: Record<string, string>): Record<string, string> {
  for (const name in headers) if (!isSendableHeaderValue(headers[name])) delete headers[name];
  return headers;
}

/**
 * The headers of the client's answer: ours (`ours` is filled in, not copied: callers make it for
 * this answer, of values they made sendable), then the few upstream ones that matter; an upstream
 * value that cannot be sent is left out, so setting the answer's headers never fails.
 */
export function clientHeaders(
  upstream: Record<string, string>,
  ours: Record<string, string>,
): Record<string, string> {
  for (const name of RETURNED) {
    const value = upstream[name];
    if (value && !(name in ours) && isSendableHeaderValue(value)) ours[name] = value;
  }
  return ours;
}
