/**
 * Building blocks shared by the schema files. Each `.describe()` text is the field's
 * documentation: it appears in the generated JSON Schema (so editors show it on hover)
 * and in validation messages that say what a field expects.
 */
import { z } from 'zod';

/** Ids of postmortems, causes and services: lowercase words joined by single hyphens. */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const id = (what: string) =>
  z.string().regex(ID_PATTERN, {
    error: `a ${what} id of lowercase letters, digits and single hyphens, like \`global-rollout\``,
  });

/** A calendar date, `YYYY-MM-DD`; zod checks month lengths and leap years. */
export const calendarDate = () => z.iso.date({ error: 'a calendar date written YYYY-MM-DD, like 2024-03-05' });

/** An absolute http(s) URL. */
export const httpUrl = () => z.url({ protocol: /^https?$/, error: 'an absolute http(s) URL' });

// One instance of each for the checks made outside a schema, once per value.
const CALENDAR_DATE = calendarDate();
const HTTP_URL = httpUrl();
/** True when `value` is a calendar date written YYYY-MM-DD, as `calendarDate()` accepts. */
export const isCalendarDate = (value: unknown): boolean => CALENDAR_DATE.safeParse(value).success;
/** True when `value` is an absolute http(s) URL, as `httpUrl()` accepts. */
export const isHttpUrl = (value: unknown): boolean => HTTP_URL.safeParse(value).success;

/** A non-empty line of text with an upper bound. */
export const text = (max: number) => z.string().trim().min(1).max(max);
