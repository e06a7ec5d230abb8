/** Requests, tokens and cost of one client key over some time. */
export interface UsageTotals {
  requests: number;
  tokens: number;
  cost: number;
}

/** Usage per hour (start, ms) per client key id. */
export type HourlyUsage = Map<number, Map<string, UsageTotals>>;

export const zeroUsage = (): UsageTotals => ({ requests: 0, tokens: 0, cost: 0 });

/** Adds to the usage of `client` in `hour`. */
export function addUsage(
  into: HourlyUsage,
  hour: number,
  client: string,
  requests: number,
  tokens: number,
  cost: number,
): void {
  let byClient = into.get(hour);
  if (!byClient) {
    byClient = new Map();
    into.set(hour, byClient);
  }
  const totals = byClient.get(client);
  if (totals) {
    totals.requests += requests;
    totals.tokens += tokens;
    totals.cost += cost;
  } else byClient.set(client, { requests, tokens, cost });
}

/** Sums one client's usage over the hours in [from, to). */
export function sumUsage(usage: HourlyUsage, client: string, from: number, to: number): UsageTotals {
  const sum = zeroUsage();
  for (const [hour, byClient] of usage) {
    if (hour < from || hour >= to) continue;
    const totals = byClient.get(client);
    if (!totals) continue;
    sum.requests += totals.requests;
    sum.tokens += totals.tokens;
    sum.cost += totals.cost;
  }
  return sum;
}

/** Drops the hours before `before`. */
export function pruneUsage(usage: HourlyUsage, before: number): void {
  for (const hour of [...usage.keys()]) if (hour < before) usage.delete(hour);
}

/** Compact stored form: `{client: [requests, tokens, cost]}`. */
export type StoredUsage = Record<string, [number, number, number]>;

export function addStoredUsage(into: StoredUsage, client: string, totals: UsageTotals): void {
  const [n, t, c] = into[client] ?? [0, 0, 0];
  into[client] = [n + totals.requests, t + totals.tokens, c + totals.cost];
}

export function fromStoredUsage(stored: StoredUsage | undefined, client: string): UsageTotals {
  const [requests, tokens, cost] = stored?.[client] ?? [0, 0, 0];
  return { requests, tokens, cost };
}
