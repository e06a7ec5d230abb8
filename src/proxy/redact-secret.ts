/**
 * An upstream error body with every occurrence of the key that made the
 * request replaced by its hint, so an upstream that echoes the key (in a
 * message or metadata) cannot leak it to the client, the logs or the admin
 * API. Error paths only: success bodies are never scanned.
 */
export function redactSecret<T>(body: T, secret: string, hint: string): T {
  if (!secret) return body;
  if (typeof body === 'string') return (body.includes(secret) ? body.split(secret).join(hint) : body) as T;
  if (body === null || typeof body !== 'object') return body;
  const text = JSON.stringify(body);
  return text.includes(secret) ? (JSON.parse(text.split(secret).join(hint)) as T) : body;
}
