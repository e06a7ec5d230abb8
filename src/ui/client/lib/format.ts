import { getLang } from '../i18n';

const cache = new Map<string, Intl.NumberFormat>();
function nf(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${getLang()}|${JSON.stringify(options)}`;
  let format = cache.get(id);
  if (!format) {
    format = new Intl.NumberFormat(getLang(), options);
    cache.set(id, format);
  }
  return format;
}

/** 12,345 */
export function num(value: number | null | undefined): string {
  return value == null ? '—' : nf({ maximumFractionDigits: 0 }).format(value);
}

/** 12.3K, 4.5M (万 / 亿 in Chinese). */
export function compact(value: number | null | undefined): string {
  return value == null ? '—' : nf({ notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

const USD = { style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol' } as const;

/** $1.23; a fraction of a cent (a request's cost, often) with two significant digits: $0.000082. */
export function money(value: number | null | undefined): string {
  if (value == null) return '—';
  if (value !== 0 && Math.abs(value) < 0.01) return nf({ ...USD, maximumSignificantDigits: 2 }).format(value);
  return nf({ ...USD, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** Money for a big figure: $6.97K past a thousand, else as {@link money}. */
export function moneyShort(value: number | null | undefined): string {
  if (value == null || Math.abs(value) < 1000) return money(value);
  return nf({ ...USD, notation: 'compact', maximumFractionDigits: 2 }).format(value);
}

/** 12.5% */
export function percent(part: number, whole: number): string {
  if (!whole) return '—';
  return nf({ style: 'percent', maximumFractionDigits: 1 }).format(part / whole);
}

/** 850 ms, 2.4 s */
export function duration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${nf({ maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

/** A date and time in the reader's language. */
export function dateTime(value: string | number | null | undefined): string {
  if (value == null || value === '') return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(getLang(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "3 minutes ago", "in 2 hours" */
export function relative(value: string | number | null | undefined, now = Date.now()): string {
  if (value == null || value === '') return '—';
  const at = new Date(value).getTime();
  if (Number.isNaN(at)) return '—';
  const seconds = Math.round((at - now) / 1000);
  const format = new Intl.RelativeTimeFormat(getLang(), { numeric: 'auto' });
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 30],
    ['month', 12],
    ['year', Number.POSITIVE_INFINITY],
  ];
  let amount = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return format.format(Math.round(amount), unit);
    amount /= size;
  }
  return dateTime(value);
}
