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

/** A moment (RFC 3339) as the person says it: "5 min ago", "yesterday", or the date. */
export function formatMoment(at: string, now: Date = new Date()): string {
  const then = new Date(at);
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  const relative = new Intl.RelativeTimeFormat(i18n.locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(0, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium' }).format(then);
}

/** A moment with its date and time, in the person's language. */
export function formatDateTime(at: string): string {
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
}
