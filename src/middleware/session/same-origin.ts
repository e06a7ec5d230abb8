/**
 * Whether a state-changing request came from our own pages. `Sec-Fetch-Site`
 * decides when the browser sends it; otherwise `Origin` must name this host
 * (the scheme is not compared, so a TLS-terminating proxy in front is fine).
 * A request with neither header is refused: browsers send `Origin` on every
 * non-GET fetch.
 */
export function isSameOrigin(
  requestUrl: string,
  headers: { origin?: string; secFetchSite?: string; host?: string },
): boolean {
  const site = headers.secFetchSite?.toLowerCase();
  if (site) return site === 'same-origin';
  if (!headers.origin || headers.origin === 'null') return false;
  let originHost: string;
  try {
    originHost = new URL(headers.origin).host;
  } catch {
    return false;
  }
  return originHost === new URL(requestUrl).host || (!!headers.host && originHost === headers.host);
}
