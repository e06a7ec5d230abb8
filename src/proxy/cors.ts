/**
 * CORS for the proxy's routes, so that browser apps can call them with a
 * client key: any origin, as OpenRouter itself allows. The key travels in
 * `Authorization`, never in a cookie, so a page gains nothing it does not
 * already hold. The admin API and UI send none: their session is a cookie.
 */
const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'x-cloudrouter-attempts, x-cloudrouter-model, x-cloudrouter-cap-reset, x-generation-id, x-should-retry, retry-after, retry-after-ms, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, x-openrouter-cache-status',
};

/**
 * CloudRouter's own headers on a proxy answer: the attempt count, and CORS
 * when the request came from a browser (browsers send `Origin` with every
 * cross-origin request; SDKs and servers, which need no CORS, do not).
 */
export function proxyAnswerHeaders(origin: string | undefined, attempts: number): Record<string, string> {
  const count = String(attempts);
  return origin ? { ...CORS_HEADERS, 'x-cloudrouter-attempts': count } : { 'x-cloudrouter-attempts': count };
}

/** A list of header names, as a preflight asks for them. */
const HEADER_NAMES = /^[!#$%&'*+.^`|~\w-]+(?:\s*,\s*[!#$%&'*+.^`|~\w-]+)*$/;

/** The headers of the answer to a preflight (`OPTIONS`): the headers asked for are allowed. */
export function preflightHeaders(requested: string | undefined): Record<string, string> {
  return {
    ...CORS_HEADERS,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers':
      requested && HEADER_NAMES.test(requested) ? requested : 'authorization, content-type',
    'access-control-max-age': '86400',
    'x-cloudrouter-attempts': '0',
  };
}
