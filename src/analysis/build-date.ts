/**
 * The build date: what "overdue" and "recent" are measured against, and the date a built site
 * shows. Taken from `--today`, else from SOURCE_DATE_EPOCH (reproducible-builds.org), else the
 * clock; always a UTC calendar day, so the time zone of the machine never changes a build.
 */
import { isCalendarDate } from '../../schemas/common.ts';

export class BuildDateError extends Error {}

export function buildDate({ today, env = process.env, now = () => new Date() }: { today?: string; env?: NodeJS.ProcessEnv; now?: () => Date } = {}): string {
  if (today !== undefined) {
    if (!isCalendarDate(today)) throw new BuildDateError(`--today ${JSON.stringify(today)} is not a date; write it YYYY-MM-DD, like 2024-03-05.`);
    return today;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d{1,12}$/.test(epoch)) throw new BuildDateError(`SOURCE_DATE_EPOCH=${JSON.stringify(epoch)} is not a number of seconds since 1970-01-01 UTC.`);
    return new Date(Number(epoch) * 1000).toISOString().slice(0, 10);
  }
  return now().toISOString().slice(0, 10);
}
