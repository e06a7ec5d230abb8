/** @jsxImportSource hono/jsx/dom */
import { useState } from 'hono/jsx/dom';
import { ErrorBox, Spinner } from '../../components/bits';
import { BarList, TimeChart } from '../../components/chart';
import { getLang, t } from '../../i18n';
import { ApiError, api } from '../../lib/api';
import { compact, money, moneyShort, num, percent } from '../../lib/format';
import { useInterval, useLoad } from '../../lib/hooks';
import { axisFormat, columns, rowLabel, topRows } from '../../lib/stats-view';
import type { KeyPage, LogEntry, Stats, StatsRange, StatsRow } from '../../lib/types';
import { PoolCard } from './pool-card';
import { RecentFailures } from './recent-failures';

/** `null` when the server has no such endpoint yet (404). */
async function optional<T>(path: string): Promise<T | null> {
  try {
    return await api.get<T>(path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

function Metric(props: { label: string; value: string; note?: string; tone?: string }) {
  return (
    <div class={`metric${props.tone ? ` metric-${props.tone}` : ''}`}>
      <div class="metric-label">{props.label}</div>
      <div class="metric-value">{props.value}</div>
      {props.note ? <div class="metric-note">{props.note}</div> : null}
    </div>
  );
}

/** How many keys are active, and how many no health check has seen yet (their status is a guess). */
function keysNote(page: KeyPage): string {
  const active = t('dash.keysActive', { n: num(page.counts.active) });
  const unchecked = page.checks?.unchecked ?? 0;
  return unchecked > 0 ? `${active} · ${t('dash.keysUnchecked', { n: num(unchecked) })}` : active;
}

/** Credit left, or "not checked yet" while no key has told its credit: unknown is not $0. */
function creditValue(page: KeyPage): string {
  const { limited, unlimited, remaining } = page.credit;
  if (limited === 0 && unlimited === 0 && page.counts.all > 0) return t('dash.creditUnknown');
  if (limited === 0 && unlimited > 0) return t('keys.unlimited');
  return moneyShort(remaining);
}

function creditNote(page: KeyPage): string {
  const { limited, unlimited, unknown } = page.credit;
  const known = t('dash.creditNote', { n: num(limited), u: num(unlimited) });
  return unknown > 0 ? `${known} · ${t('dash.creditUnknownN', { n: num(unknown) })}` : known;
}

/** The busiest rows of a breakdown (models, client keys): requests, with their cost. */
function TopList(props: { title: string; rows: StatsRow[] | undefined }) {
  return (
    <section class="card">
      <h2>{props.title}</h2>
      {props.rows?.length ? (
        <BarList
          rows={topRows(props.rows, 8).map((r) => ({
            label: rowLabel(r),
            value: r.requests,
            note: money(r.cost),
          }))}
          format={num}
        />
      ) : (
        <p class="muted">{t('dash.nothingYet')}</p>
      )}
    </section>
  );
}

/** The pool at a glance, traffic over time, the busiest models and clients, the latest failures. */
export function DashboardPage() {
  const [range, setRange] = useState<StatsRange>('day');
  const pool = useLoad(() => api.get<KeyPage>('/admin/api/keys?limit=0'), []);
  const stats = useLoad(() => optional<Stats>(`/admin/api/stats?range=${range}`), [range]);
  const failures = useLoad(() => optional<{ data: LogEntry[] }>('/admin/api/logs?limit=8&status=error'), []);
  useInterval(() => {
    pool.reload();
    stats.reload();
    failures.reload();
  }, 30_000);

  const s = stats.data;
  const totals = s?.totals;
  const timeFormat = new Intl.DateTimeFormat(getLang(), axisFormat(range));
  const tipFormat = new Intl.DateTimeFormat(getLang(), { dateStyle: 'medium', timeStyle: 'short' });
  const cols = s ? columns(s) : null;
  // What the three charts share: the time axis and how its labels and tips read.
  const axis = cols && {
    times: cols.times,
    formatTime: (v: number) => timeFormat.format(v),
    formatTip: (v: number) => tipFormat.format(v),
  };

  return (
    <div class="page dashboard">
      <ErrorBox error={pool.error} onRetry={pool.reload} />
      <section class="metrics">
        <Metric
          label={t('dash.keys')}
          value={pool.data ? num(pool.data.counts.all) : '…'}
          note={pool.data ? keysNote(pool.data) : undefined}
        />
        <Metric
          label={t('dash.credit')}
          value={pool.data ? creditValue(pool.data) : '…'}
          note={pool.data ? creditNote(pool.data) : undefined}
          tone="accent"
        />
        <Metric
          label={t('dash.requests')}
          value={totals ? compact(totals.requests) : '—'}
          note={t(`range.${range}`)}
        />
        <Metric
          label={t('dash.errorRate')}
          value={totals ? percent(totals.failed, totals.requests) : '—'}
          note={totals ? t('dash.failedN', { n: totals.failed }) : undefined}
          tone={totals && totals.failed > 0 ? 'warn' : undefined}
        />
        <Metric
          label={t('dash.tokens')}
          value={totals ? compact(totals.prompt_tokens + totals.completion_tokens) : '—'}
          note={
            totals
              ? t('dash.tokensNote', {
                  p: compact(totals.prompt_tokens),
                  c: compact(totals.completion_tokens),
                })
              : undefined
          }
        />
        <Metric
          label={t('dash.cost')}
          value={totals ? moneyShort(totals.cost) : '—'}
          note={t(`range.${range}`)}
        />
      </section>

      {pool.data ? <PoolCard counts={pool.data.counts} checks={pool.data.checks} /> : null}

      <section class="card">
        <div class="card-head">
          <h2>{t('dash.traffic')}</h2>
          <fieldset class="segmented">
            <legend class="sr-only">{t('dash.range')}</legend>
            {(['day', 'week', 'month'] as const).map((r) => (
              <button
                type="button"
                class={r === range ? 'on' : ''}
                aria-pressed={r === range}
                onClick={() => setRange(r)}
              >
                {t(`rangeShort.${r}`)}
              </button>
            ))}
          </fieldset>
        </div>
        {stats.error ? <ErrorBox error={stats.error} onRetry={stats.reload} /> : null}
        {!s && stats.loading ? <Spinner label={t('common.loading')} /> : null}
        {!s && !stats.loading && !stats.error ? <p class="muted">{t('dash.noStats')}</p> : null}
        {cols && axis ? (
          <div class="charts">
            <TimeChart
              label={t('dash.chartRequests')}
              kind="bars"
              series={[
                { name: t('dash.success'), tone: 'ok', values: cols.success },
                { name: t('dash.failed'), tone: 'bad', values: cols.failed },
              ]}
              formatValue={compact}
              {...axis}
            />
            <TimeChart
              label={t('dash.chartTokens')}
              kind="lines"
              series={[
                { name: t('dash.promptTokens'), tone: 'a', values: cols.prompt },
                { name: t('dash.completionTokens'), tone: 'b', values: cols.completion },
              ]}
              formatValue={compact}
              {...axis}
            />
            <TimeChart
              label={t('dash.chartCost')}
              kind="lines"
              series={[{ name: t('dash.cost'), tone: 'c', values: cols.cost }]}
              formatValue={money}
              {...axis}
            />
          </div>
        ) : null}
      </section>

      <div class="grid-2">
        <TopList title={t('dash.topModels')} rows={s?.by_model} />
        <TopList title={t('dash.topClients')} rows={s?.by_client} />
      </div>

      <RecentFailures
        entries={failures.data?.data ?? null}
        loading={failures.loading}
        error={failures.error}
      />
    </div>
  );
}
