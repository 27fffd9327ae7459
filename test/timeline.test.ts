/**
 * Timeline times and derived durations are calendar facts: the same whatever the machine's
 * time zone, across daylight-saving changes, midnight and the leap day.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePostmortem } from '../src/format/postmortem.ts';
import { daysBetween } from '../src/format/dates.ts';
import { utcInstant } from '../src/format/timeline.ts';
import { catalog, validPostmortem } from './helpers/catalog.ts';

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

const withTimeline = (frontMatter: Record<string, string>, timeline: string) => {
  let text = validPostmortem;
  for (const [key, value] of Object.entries(frontMatter)) text = text.replace(new RegExp(`^${key}: .*$`, 'm'), `${key}: ${value}`);
  if (frontMatter.timezone) text = text.replace(/^authors: .*$/m, (line) => `${line}\ntimezone: ${frontMatter.timezone}`);
  return text.replace(/## Timeline\n\n[\s\S]*?\n\n## Root cause/, `## Timeline\n\n${timeline}\n\n## Root cause`);
};

function parse(text: string) {
  const result = parsePostmortem(text, 'p.md', catalog);
  return { result, messages: result.diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`) };
}

describe('timeline times', () => {
  it.each(['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Kathmandu'])('derives the same figures with the machine in %s', (tz) => {
    process.env.TZ = tz;
    const { result, messages } = parse(validPostmortem);
    expect(messages).toEqual([]);
    expect(result.postmortem?.data.date).toBe('2024-03-05');
    expect(result.postmortem?.timeline[1]?.time).toBe('2024-03-05T10:05:00Z');
    expect(result.postmortem?.durations).toEqual({ minutes_to_detect: 7, minutes_to_mitigate: 25, minutes_to_resolve: 40, minutes_to_first_comms: 15 });
  });

  it('applies the postmortem time zone across a daylight-saving change', () => {
    // Los Angeles moved from UTC-8 to UTC-7 at 02:00 local time on 2024-03-10.
    const text = withTimeline(
      { date: '2024-03-10', timezone: 'America/Los_Angeles' },
      ['- 2024-03-10 01:30 — [start] Before the change (09:30 UTC).', '- 03:30 — [detected] After the change (10:30 UTC).', '- 04:00 — [mitigated] x', '- 04:30 — [resolved] y'].join('\n'),
    );
    const { result, messages } = parse(text);
    expect(messages).toEqual([]);
    expect(result.postmortem?.timeline.map((e) => e.time)).toEqual(['2024-03-10T09:30:00Z', '2024-03-10T10:30:00Z', '2024-03-10T11:00:00Z', '2024-03-10T11:30:00Z']);
    expect(result.postmortem?.durations.minutes_to_detect).toBe(60);
  });

  it('refuses a local time that never existed (daylight-saving gap)', () => {
    const text = withTimeline({ date: '2024-03-10', timezone: 'America/Los_Angeles' }, '- 2024-03-10 02:30 — [start] x\n- 03:30 — [resolved] y');
    const { result } = parse(text);
    expect(result.diagnostics.map((d) => `${d.rule}: ${d.message}`)).toMatchInlineSnapshot(`
      [
        "timeline-timestamp: Timestamp \`2024-03-10 02:30\` is not a real time: 2024-03-10 02:30 does not exist in America/Los_Angeles (daylight-saving change).",
      ]
    `);
  });

  it('handles the leap day and offsets', () => {
    const text = withTimeline({ date: '2012-02-29' }, '- 2012-02-28 16:00 -08:00 — [start] Midnight UTC on the leap day.\n- 2012-03-01 02:00 +01:00 — [resolved] x');
    const { result, messages } = parse(text);
    expect(messages).toEqual([]);
    expect(result.postmortem?.durations.minutes_to_resolve).toBe(25 * 60);
    expect(parse(withTimeline({ date: '2023-02-28' }, '- 2023-02-29 10:00 UTC — [start] x\n- 11:00 — [resolved] y')).messages).toContain('17:3 timeline-timestamp');
  });

  it('requires the full date after midnight and says so', () => {
    const text = withTimeline({}, '- 2024-03-05 23:50 UTC — [start] x\n- 00:10 — [resolved] y');
    const { result } = parse(text);
    expect(result.diagnostics.map((d) => `${d.rule}: ${d.message}`)).toMatchInlineSnapshot(`
      [
        "timeline-order: This item (\`00:10\`) is earlier than the one before it on line 17 (\`2024-03-05 23:50 UTC\`); keep the timeline in chronological order. If it happened after midnight, write its full date.",
        "marker-order: \`[resolved]\` (\`00:10\`) comes before \`[start]\` on line 17; expected start ≤ detected ≤ mitigated ≤ resolved.",
      ]
    `);
  });
});

describe('UTC timestamps', () => {
  it('are read as luxon reads them, valid or not (the UTC path does not go through luxon)', () => {
    // Zero often, so the edges (24:00, the first of a month) come up.
    const field = (max: number) => fc.oneof(fc.constant(0), fc.integer({ min: 0, max }));
    fc.assert(
      // From year 100: before it, luxon reads 24:00 as the same day's midnight (its Date.UTC maps years 0–99 to 1900–1999).
      fc.property(fc.integer({ min: 100, max: 9999 }), field(13), field(32), field(25), field(61), field(61), (year, month, day, hour, minute, second) => {
        const luxon = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: 'UTC' });
        const expected = luxon.isValid ? { iso: luxon.toUTC().toISO({ suppressMilliseconds: true }) } : { why: undefined };
        expect(utcInstant(year, month, day, hour, minute, second)).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
    // The edges the generator may miss: 24:00 (the next day), past it, and the leap day.
    expect([utcInstant(2020, 12, 31, 24, 0, 0), utcInstant(2020, 1, 1, 24, 0, 1), utcInstant(2024, 2, 29, 23, 59, 59), utcInstant(2023, 2, 29, 0, 0, 0)]).toEqual([
      { iso: '2021-01-01T00:00:00Z' },
      { why: undefined },
      { iso: '2024-02-29T23:59:59Z' },
      { why: undefined },
    ]);
  });
});

describe('days between calendar dates', () => {
  it('are counted as luxon counts them, valid dates or not (calendar dates do not go through luxon)', () => {
    const date = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    const luxon = (from: string, to: string) => Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
    fc.assert(
      fc.property(date, date, (from, to) => {
        expect(daysBetween(from, to)).toEqual(luxon(from, to));
      }),
      { numRuns: 5000 },
    );
    expect([daysBetween('2024-02-28', '2024-03-01'), daysBetween('2023-02-28', '2023-03-01'), daysBetween('2024-03-01', '2023-02-29')]).toEqual([2, 1, NaN]);
  });
});
