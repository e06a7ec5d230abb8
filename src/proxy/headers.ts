import type { Config } from '../config';

/**
 * Client headers passed upstream as they are: attribution, OpenRouter's own request headers
 * (categories, response caching), Anthropic's version and beta flags (for `/messages`), and
 * content negotiation.
 */
const PASSED = [
  'http-referer',
  'x-title',
  'x-openrouter-title',
  'x-openrouter-categories',
  'x-openrouter-cache',
  'x-openrouter-cache-ttl',
  'x-openrouter-cache-clear',
  'anthropic-version',
  'anthropic-beta',
  'accept',
  'user-agent',
];

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

/**
 * The headers of the upstream request, without the key: the client's
 * attribution if it sent any, else the configured one.
 */
export function upstreamHeaders(
  client: (name: string) => string | undefined,
  config: Pick<Config, 'httpReferer' | 'xTitle'>,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'accept-encoding': 'identity',
  };
  for (const name of PASSED) {
    const value = client(name);
    if (value) headers[name] = value;
  }
  if (!headers['http-referer'] && config.httpReferer) headers['http-referer'] = config.httpReferer;
  if (!headers['x-title'] && !headers['x-openrouter-title'] && config.xTitle)
    headers['x-title'] = config.xTitle;
  return headers;
}

/**
 * Whether a header value can be sent on every runtime: visible ASCII, spaces and tabs. Node
 * throws on control characters and anything past Latin-1, Workers' `Headers` on anything past
 * Latin-1; a value that would throw after the upstream call was made is left out instead.
 */
export function isSendableHeaderValue(value: string): boolean {
  return /^[\t\x20-\x7e]*$/.test(value);
}

/** `headers` without the values {@link isSendableHeaderValue} refuses (the same object when all pass). */
export function sendableHeaders(headers: Record<string, string>): Record<string, string> {
  for (const name in headers) if (!isSendableHeaderValue(headers[name])) delete headers[name];
  return headers;
}

/**
 * The headers of the client's answer: the few upstream ones that matter, then ours; a value
 * that cannot be sent is left out, so setting the answer's headers never fails.
 */
export function clientHeaders(
  upstream: Record<string, string>,
  ours: Record<string, string>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of RETURNED) {
    const value = upstream[name];
    if (value) headers[name] = value;
  }
  return sendableHeaders(Object.assign(headers, ours));
}
