import type { Context } from 'hono';

/**
 * Who is logging in, for slowing down failed logins: Cloudflare's
 * `CF-Connecting-IP` on Workers, the socket's address on Node (where no
 * header is trusted: anyone can set one). Behind a reverse proxy on Node,
 * every client shares the proxy's address.
 */
export function clientAddress(c: Context, runtime: 'node' | 'workers'): string {
  if (runtime === 'workers') return c.req.header('cf-connecting-ip') ?? 'unknown';
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
