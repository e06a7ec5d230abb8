import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * The client's address on Node: the socket's, or, behind `trusted` reverse
 * proxies that each append the address they saw to `X-Forwarded-For`, the
 * entry the outermost trusted proxy appended. Entries left of it are the
 * client's own say and never believed.
 */
export function forwardedAddress(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
  trusted: number,
): string {
  const hops = [...(forwardedFor ?? '').split(','), socketAddress ?? '']
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (trusted <= 0 || hops.length === 0) return socketAddress || 'unknown';
  return hops[Math.max(0, hops.length - 1 - trusted)];
}

/** {@link forwardedAddress} of a request that Hono routed on Node. */
export function nodeClientAddress(trusted: number): (c: Context) => string {
  return (c) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const forwardedFor = incoming?.headers['x-forwarded-for'];
    return forwardedAddress(
      Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor,
      incoming?.socket.remoteAddress,
      trusted,
    );
  };
}
