/**
 * How figures read on the site. Fixed English formats and UTC throughout, so the machine's
 * locale and time zone never change a page.
 */
import { DateTime, Duration } from 'luxon';
import { day, daysBetween, LOCALE, remembered } from '../format/dates.ts';

/** `5510` → `3 d 19 h 50 min`; null → an em dash. */
export const duration = remembered((minutes: number | null): string => {
  if (minutes === null) return '—';
  if (minutes === 0) return '0 min';
  const { days, hours, minutes: rest } = Duration.fromObject({ minutes }).shiftTo('days', 'hours', 'minutes').toObject();
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : ''];
  return parts.filter(Boolean).join(' ');
});

/** An ISO instant → `19 Nov 2014, 00:51 UTC`. */
export function instant(iso: string): string {
  // Timeline instants are written in UTC (`2014-11-19T00:51:00Z`): their day is formatted once
  // for all the times of that day, and the time is read off as written.
  const utc = UTC_INSTANT.exec(iso);
  if (utc) return `${day(utc[1]!)}, ${utc[2]} UTC`;
  return DateTime.fromISO(iso, { zone: 'utc', locale: LOCALE }).toFormat("d LLL yyyy, HH:mm 'UTC'");
}
const UTC_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$/;

/** A number of days in years and months (`1 year 2 months`), or in days when under two months. */
export function spanOfDays(days: number): string {
  if (days < 60) return plural(days, 'day');
  // Whole months of the mean Gregorian length (365.2425 / 12 days), rounded.
  const total = Math.round(days / 30.436875);
  const [years, months] = [Math.floor(total / 12), total % 12];
  return [years ? plural(years, 'year') : '', months ? plural(months, 'month') : ''].filter(Boolean).join(' ');
}

/** The time between two dates, as `spanOfDays` writes it. */
export function span(from: string, to: string): string {
  return spanOfDays(daysBetween(from, to));
}

/** `change-management` → `Change management`. */
export function humanize(id: string): string {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `3` of `4` → `75%`; an em dash when there is nothing to divide. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`;
}

/** A postmortem in a few words, for dense lists: `Microsoft, 2014`, or its id. */
export function shortLabel(p: { id: string; data: { organization?: string; date: string } }): string {
  return p.data.organization ? `${p.data.organization}, ${p.data.date.slice(0, 4)}` : p.id;
}

const WHOLE = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

/** A whole number with thousands separated: `45072` → `45,072`. */
export function whole(n: number): string {
  // Below a thousand there is nothing to separate (lists of thousands of incidents call this
  // for every count they show).
  return Number.isInteger(n) && n >= 0 && n < 1000 ? String(n) : WHOLE.format(n);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${whole(count)} ${count === 1 ? one : many}`;
}

export const MARKER_LABELS = {
  start: 'Impact starts',
  detected: 'Detected',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  comms: 'Customer update',
} as const;
