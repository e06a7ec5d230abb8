/**
 * What a client (and the key's last error) may be told of a failed
 * connection: what happened, never where. Node's messages name the address
 * and port they tried (`connect ECONNREFUSED 10.0.3.7:8443`), which says
 * how the network behind the gateway is laid out.
 */

const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the connection was closed',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the host name could not be resolved',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed',
  UND_ERR_CLOSED: 'the connection was closed',
};

const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g;
const IPV6 = /\[?\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\b\]?(?::\d{1,5})?/gi;
const HOST_PORT = /\b[a-z0-9-]+(?:\.[a-z0-9-]+)+:\d{1,5}\b/gi;

function codeOf(err: unknown): string | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** The text of a network error, safe to show: by its code when known, else its message without addresses. */
export function networkErrorText(err: unknown): string {
  const code = codeOf(err);
  if (code && BY_CODE[code]) return `${BY_CODE[code]} (${code})`;
  const message = err instanceof Error ? err.message : String(err);
  const cleaned = message
    .replace(IPV4, '(address)')
    .replace(IPV6, '(address)')
    .replace(HOST_PORT, '(address)');
  return code ? `${cleaned} (${code})` : cleaned;
}
