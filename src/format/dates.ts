/**
 * Calendar dates as the format writes them (`YYYY-MM-DD`, UTC): whole days between two, and a
 * date as every page and search result shows it. Fixed English formats and UTC throughout, so
 * the machine's locale and time zone never change what is computed or shown.
 */
import { DateTime } from 'luxon';
import { isCalendarDate } from '../../schemas/common.ts';

/** The one locale figures are written in. */
export const LOCALE = 'en-GB';

/**
 * A formatter that remembers what it gave: a site of thousands of incidents formats the same
 * few thousand dates and durations again and again, and luxon takes tens of microseconds each.
 */
export function remembered<K, V>(format: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = format(key);
      known.set(key, value);
    }
    return value;
  };
}

/** `2014-11-19` → `19 Nov 2014`. */
export const day = remembered((date: string): string => DateTime.fromISO(date, { zone: 'utc', locale: LOCALE }).toFormat('d LLL yyyy'));

/** Whole days between two calendar dates or instants. */
export function daysBetween(from: string, to: string): number {
  return daysBetweenPair(`${from} ${to}`);
}
const daysBetweenPair = remembered((pair: string) => {
  const [from, to] = pair.split(' ') as [string, string];
  // Two calendar dates (overdue actions: thousands of distinct pairs) are midnights UTC: whole
  // days apart without luxon, a tenth of the time.
  const [start, end] = [utcMidnight(from), utcMidnight(to)];
  if (start !== undefined && end !== undefined) return Math.round((end - start) / 86_400_000);
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
});

/** Midnight UTC of a calendar date as the schema accepts it, in milliseconds; undefined for anything else. */
const utcMidnight = (date: string): number | undefined => (isCalendarDate(date) ? Date.parse(date) : undefined); // a date-only ISO text is read as UTC
