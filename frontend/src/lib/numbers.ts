// Numbers and dates in the person's language ("4 213" in Norwegian, "4,213" in English).
import { i18n } from './i18n/index.svelte';

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(i18n.locale).format(n);
}

/** A calendar date (`YYYY-MM-DD`) as the person writes it. */
export function formatDay(day: string, style: 'medium' | 'short' = 'medium'): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: style, timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** A month (`YYYY-MM-01`) or week start as a short axis label. */
export function formatPeriod(start: string, interval: 'week' | 'month'): string {
  const [y, m, d] = start.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const options: Intl.DateTimeFormatOptions =
    interval === 'month' ? { month: 'short', year: '2-digit', timeZone: 'UTC' } : { day: 'numeric', month: 'short', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(i18n.locale, options).format(date);
}

/** Today in the person's calendar, as `YYYY-MM-DD`. */
export function today(): string {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 10);
}
