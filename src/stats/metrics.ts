import type { KeyStatus } from '../keys/key-state';
import { LATENCY_BOUNDS_MS } from './counters';
import type { StatsBucket } from './stats-bucket';

/** What /metrics shows: the counters since start, and the pool right now. */
export interface MetricsInput {
  lifetime: StatsBucket;
  keys: Record<KeyStatus, number>;
  startedAt: number;
}

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The Prometheus text exposition (format 0.0.4) of the counters since start. */
export function renderMetrics({ lifetime, keys, startedAt }: MetricsInput): string {
  const out: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string) =>
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  const sample = (name: string, labels: Record<string, string>, value: number) => {
    const text = Object.entries(labels)
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(',');
    out.push(`${name}${text ? `{${text}}` : ''} ${Number.isFinite(value) ? value : 0}`);
  };
  const { total } = lifetime;

  metric('cloudrouter_requests_total', 'counter', 'Proxied requests since start, by outcome.');
  sample('cloudrouter_requests_total', { outcome: 'success' }, total.ok);
  sample('cloudrouter_requests_total', { outcome: 'failure' }, total.n - total.ok);

  metric('cloudrouter_request_failures_total', 'counter', 'Failed requests since start, by class.');
  for (const [name, count] of Object.entries(total.f))
    sample('cloudrouter_request_failures_total', { class: name }, count ?? 0);

  metric('cloudrouter_tokens_total', 'counter', 'Tokens reported by upstream answers since start.');
  sample('cloudrouter_tokens_total', { kind: 'prompt' }, total.pt);
  sample('cloudrouter_tokens_total', { kind: 'completion' }, total.ct);

  metric('cloudrouter_cost_usd_total', 'counter', 'Cost reported by upstream answers since start (USD).');
  sample('cloudrouter_cost_usd_total', {}, total.c);

  metric('cloudrouter_request_duration_seconds', 'histogram', 'Time until the answer was complete.');
  let cumulative = 0;
  LATENCY_BOUNDS_MS.forEach((bound, i) => {
    cumulative += total.lh?.[i] ?? 0;
    sample('cloudrouter_request_duration_seconds_bucket', { le: String(bound / 1000) }, cumulative);
  });
  sample('cloudrouter_request_duration_seconds_bucket', { le: '+Inf' }, total.lc);
  sample('cloudrouter_request_duration_seconds_sum', {}, total.ls / 1000);
  sample('cloudrouter_request_duration_seconds_count', {}, total.lc);

  metric('cloudrouter_model_requests_total', 'counter', 'Requests since start by resolved model.');
  for (const [model, c] of Object.entries(lifetime.models))
    sample('cloudrouter_model_requests_total', { model }, c.n);

  metric('cloudrouter_client_requests_total', 'counter', 'Requests since start by client key id.');
  for (const [client, c] of Object.entries(lifetime.clients))
    sample('cloudrouter_client_requests_total', { client }, c.n);

  metric('cloudrouter_upstream_attempts_total', 'counter', 'Upstream attempts since start, by outcome.');
  let attempts = 0;
  let failed = 0;
  for (const c of Object.values(lifetime.keys)) {
    attempts += c.n;
    failed += c.n - c.ok;
  }
  sample('cloudrouter_upstream_attempts_total', { outcome: 'success' }, attempts - failed);
  sample('cloudrouter_upstream_attempts_total', { outcome: 'failure' }, failed);

  metric('cloudrouter_keys', 'gauge', 'Upstream keys in the pool by status.');
  for (const [status, count] of Object.entries(keys)) sample('cloudrouter_keys', { status }, count);

  metric('cloudrouter_start_time_seconds', 'gauge', 'When this process started (Unix time).');
  sample('cloudrouter_start_time_seconds', {}, Math.floor(startedAt / 1000));
  return `${out.join('\n')}\n`;
}
