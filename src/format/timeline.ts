/**
 * The timeline grammar: `timestamp separator [marker] text`, in chronological order, and the
 * durations derived from its markers. Pure: list items and their source in, entries out.
 */
import type { List } from 'mdast';
import { DateTime } from 'luxon';
import { quote, type Diagnostics, type Position } from './diagnostics.ts';
import { didYouMean } from './suggest.ts';

export const MARKERS = ['start', 'detected', 'mitigated', 'resolved', 'comms'] as const;
export type Marker = (typeof MARKERS)[number];
/** Markers that happen once, in this order. */
const MILESTONES = ['start', 'detected', 'mitigated', 'resolved'] as const;

export interface TimelineEntry {
  at: Position;
  /** The instant, as an ISO 8601 UTC string with seconds (`2014-11-19T00:51:00Z`). */
  time: string;
  /** The timestamp as the author wrote it, wrappers removed. */
  written: string;
  marker?: Marker;
  /** The entry's Markdown text after the timestamp and marker. */
  text: string;
  /** `text` as inline HTML, when the parse was asked for it. */
  html?: string;
  /** Written inside an internal block (see internal-parts.ts): left out of the public version. */
  internal?: boolean;
}

export interface Durations {
  minutes_to_detect: number | null;
  minutes_to_mitigate: number | null;
  minutes_to_resolve: number | null;
  minutes_to_first_comms: number | null;
}

// `**2024-03-05 10:00:30 UTC**`, `` `10:05` ``, `2024-03-05 10:00 +01:00`, then the separator.
const ENTRY =
  /^(?<open>\*\*|`)?(?:(?<date>\d{4}-\d{2}-\d{2}) )?(?<time>\d{1,2}:\d{2}(?::\d{2})?)(?: ?(?<zone>UTC|Z|[+-]\d{2}:\d{2}))?(?<close>\*\*|`)?[ \t]*(?<sep>—|–|-|:)(?:[ \t]+|$)/;
const MARKER = /^\[(?<name>[A-Za-z]+)\](?=\s|$)\s*/;

export interface TimelineContext {
  /** Zone of timestamps that name none. */
  zone: string;
  /** Source of the body, for the raw text of each item. */
  body: string;
}

export interface ParsedTimeline {
  entries: TimelineEntry[];
  /** Every item was read; otherwise a missing marker may sit in an unreadable item. */
  complete: boolean;
}

export function parseTimeline(lists: readonly List[], context: TimelineContext, diagnostics: Diagnostics, heading: Position): ParsedTimeline {
  const entries: TimelineEntry[] = [];
  if (lists.length === 0) {
    diagnostics.report('timeline-item', heading, 'The Timeline has no list; write one `- YYYY-MM-DD HH:MM UTC — text` item per event.');
    return { entries, complete: false };
  }
  let complete = true;
  let date: string | undefined;
  let previous: TimelineEntry | undefined;
  for (const item of lists.flatMap((list) => list.children)) {
    const paragraph = item.children[0];
    const at = { line: item.position?.start.line ?? heading.line, column: item.position?.start.column ?? 1 };
    if (paragraph?.type !== 'paragraph' || !paragraph.position) {
      diagnostics.report('timeline-item', at, 'Empty timeline item; write `YYYY-MM-DD HH:MM UTC — what happened`.');
      complete = false;
      continue;
    }
    const raw = context.body.slice(paragraph.position.start.offset, paragraph.position.end.offset);
    const start = { line: paragraph.position.start.line, column: paragraph.position.start.column };
    const match = ENTRY.exec(raw);
    if (!match?.groups || (match.groups.open ?? '') !== (match.groups.close ?? '')) {
      diagnostics.report('timeline-item', start, `Timeline item ${quote(raw.split('\n')[0], 40)} does not start with a timestamp and a separator; expected \`YYYY-MM-DD HH:MM UTC — text\` or \`HH:MM — text\`.`);
      complete = false;
      continue;
    }
    const g = match.groups;
    if (g.date) date = g.date;
    if (!date) {
      // Reported once: the items after it carry no date either until one gives it.
      if (complete) diagnostics.report('timeline-timestamp', start, `The first timeline item needs a full date: write \`YYYY-MM-DD ${g.time}${g.zone ? ` ${g.zone}` : ''}\`.`);
      complete = false;
      continue;
    }
    const instant = toInstant(date, g.time!, g.zone, context.zone);
    const written = `${g.date ? `${g.date} ` : ''}${g.time}${g.zone ? ` ${g.zone}` : ''}`;
    if (!('iso' in instant)) {
      const why = instant.why ?? 'months run 01–12, days to the end of the month, hours 00–23, minutes and seconds 00–59';
      diagnostics.report('timeline-timestamp', start, `Timestamp ${quote(written)} is not a real time: ${why}.`);
      complete = false;
      continue;
    }
    let rest = raw.slice(match[0].length);
    let marker: Marker | undefined;
    const markerMatch = MARKER.exec(rest);
    if (markerMatch?.groups) {
      const name = markerMatch.groups.name!;
      const markerAt = { line: start.line, column: start.column + match[0].length };
      if ((MARKERS as readonly string[]).includes(name)) {
        marker = name as Marker;
      } else {
        const hint = didYouMean(name, MARKERS) || `; expected one of ${MARKERS.map((m) => `[${m}]`).join(', ')}.`;
        diagnostics.report('marker-unknown', markerAt, `Unknown marker ${quote(`[${name}]`)}${hint}`);
      }
      rest = rest.slice(markerMatch[0].length);
    }
    const entry: TimelineEntry = {
      at: start,
      time: instant.iso,
      written,
      ...(marker ? { marker } : {}),
      text: rest.trim(),
    };
    if (previous && entry.time < previous.time) {
      // Going back more than twelve hours without a date is most likely a day boundary.
      const crossedMidnight = !g.date && Date.parse(previous.time) - Date.parse(entry.time) > 12 * 3_600_000;
      const hint = crossedMidnight ? ' If it happened after midnight, write its full date.' : '';
      diagnostics.report('timeline-order', start, `This item (${quote(written)}) is earlier than the one before it on line ${previous.at.line} (${quote(previous.written)}); keep the timeline in chronological order.${hint}`);
    }
    entries.push(entry);
    previous = entry;
  }
  checkMarkers(entries, diagnostics);
  return { entries, complete };
}

/** A timestamp as a UTC ISO instant (`2014-11-19T00:51:00Z`), or why it is not a real time (undefined: a field out of range). */
type Instant = { iso: string } | { why: string | undefined };

function toInstant(date: string, time: string, zone: string | undefined, defaultZone: string): Instant {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second = 0] = time.split(':').map(Number) as [number, number, number?];
  const resolved = zone === undefined ? defaultZone : zone === 'Z' || zone === 'UTC' ? 'UTC' : `UTC${zone}`;
  // UTC, where most timelines are written, has no daylight saving: the fields are the instant.
  if (resolved === 'UTC') return utcInstant(year, month, day, hour, minute, second);
  const value = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: resolved });
  if (!value.isValid) return { why: undefined };
  // Luxon moves times that fall in a daylight-saving gap; such a time was never on a clock there.
  if (value.hour !== hour || value.minute !== minute) return { why: `${date} ${time} does not exist in ${resolved} (daylight-saving change)` };
  return { iso: value.toUTC().toISO({ suppressMilliseconds: true })! };
}

/** The instant of UTC fields, as luxon gives it, when each field is in its range. */
export function utcInstant(year: number, month: number, day: number, hour: number, minute: number, second: number): Instant {
  // 24:00 is the end of the day, as ISO 8601 (and luxon) read it: the next day's 00:00.
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0)) || minute > 59 || second > 59) return { why: undefined };
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day); // two-digit years stay as written, unlike Date.UTC
  if (t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day) return { why: undefined }; // day 0, 31 April, month 13…
  t.setUTCHours(hour, minute, second, 0);
  return { iso: t.toISOString().replace('.000Z', 'Z') };
}

function checkMarkers(entries: readonly TimelineEntry[], diagnostics: Diagnostics): void {
  const first = new Map<Marker, TimelineEntry>();
  for (const entry of entries) {
    if (!entry.marker) continue;
    const earlier = first.get(entry.marker);
    if (earlier && entry.marker !== 'comms') {
      diagnostics.report('marker-duplicate', entry.at, `Marker \`[${entry.marker}]\` already appears on line ${earlier.at.line}; it marks one moment, so keep only one.`);
    } else if (!earlier) {
      first.set(entry.marker, entry);
    }
  }
  let before: TimelineEntry | undefined;
  for (const marker of MILESTONES) {
    const entry = first.get(marker);
    if (!entry) continue;
    if (before && entry.time < before.time) {
      diagnostics.report('marker-order', entry.at, `\`[${marker}]\` (${quote(entry.written)}) comes before \`[${before.marker}]\` on line ${before.at.line}; expected start ≤ detected ≤ mitigated ≤ resolved.`);
    }
    before = entry;
  }
}

/** Whole minutes from `[start]` to each milestone; null where a marker is missing. */
export function durations(entries: readonly TimelineEntry[]): Durations {
  const find = (marker: Marker) => entries.find((e) => e.marker === marker);
  const start = find('start');
  const minutes = (entry: TimelineEntry | undefined) =>
    start && entry ? Math.floor((Date.parse(entry.time) - Date.parse(start.time)) / 60_000) : null;
  return {
    minutes_to_detect: minutes(find('detected')),
    minutes_to_mitigate: minutes(find('mitigated')),
    minutes_to_resolve: minutes(find('resolved')),
    minutes_to_first_comms: minutes(find('comms')),
  };
}

/** How long the timestamp with its separator, and the marker after it, are at the start of an item's text (0 when it has none). */
export function entryPrefix(raw: string): { timestamp: number; marker: number } {
  const entry = ENTRY.exec(raw);
  if (!entry) return { timestamp: 0, marker: 0 };
  const marker = MARKER.exec(raw.slice(entry[0].length));
  return { timestamp: entry[0].length, marker: marker ? marker[0].length : 0 };
}
