/** Trends and follow-through on fixture knowledge bases with known answers. */
import { describe, expect, it } from 'vitest';
import { actionRows, followThrough } from '../src/analysis/action-items.ts';
import { actionRecords, actionsCsv, incidentRecords, incidentsCsv, neutralize } from '../src/analysis/exports.ts';
import { DateTime } from 'luxon';
import { duration, instant, plural, whole } from '../src/site/figures.ts';
import { quantile, quarterOf, quarterRange, trends } from '../src/analysis/metrics.ts';
import { catalog } from './helpers/catalog.ts';
import { makePostmortem } from './helpers/postmortems.ts';

describe('quarters', () => {
  it('cut at UTC calendar quarters and keep the gaps between them', () => {
    expect(['2024-01-01', '2024-03-31', '2024-04-01', '2024-06-30', '2024-07-01', '2024-12-31'].map(quarterOf)).toEqual(['2024-Q1', '2024-Q1', '2024-Q2', '2024-Q2', '2024-Q3', '2024-Q4']);
    expect(quarterRange('2023-Q4', '2024-Q2')).toEqual(['2023-Q4', '2024-Q1', '2024-Q2']);
    expect(quarterRange('2024-Q2', '2024-Q2')).toEqual(['2024-Q2']);
  });

  it('count an incident that started late on 31 March in New York in the second quarter: its UTC day is 1 April', () => {
    const p = makePostmortem({
      id: 'new-york',
      date: '2024-04-01',
      extra: 'timezone: America/New_York',
      timeline: ['2024-03-31 22:30 — [start] Impact begins.', '2024-03-31 23:10 — [resolved] Impact ends.'],
    });
    expect(p.durations.minutes_to_resolve).toBe(40);
    expect(trends([p], catalog, { today: '2024-05-01' }).byQuarter).toEqual([{ quarter: '2024-Q2', severity: 'SEV2', count: 1 }]);
  });
});

describe('durations', () => {
  it('are real minutes across a daylight-saving change and the leap day', () => {
    const spring = makePostmortem({
      id: 'spring-forward',
      date: '2024-03-10',
      extra: 'timezone: America/Los_Angeles',
      timeline: ['2024-03-10 01:30 — [start] Impact begins.', '03:30 — [resolved] Impact ends.'],
    });
    const leap = makePostmortem({ id: 'leap', date: '2024-02-29', timeline: ['2024-02-29 23:00 UTC — [start] Impact begins.', '2024-03-01 01:00 UTC — [resolved] Impact ends.'] });
    expect(spring.durations.minutes_to_resolve).toBe(60);
    expect(leap.durations.minutes_to_resolve).toBe(120);
    const t = trends([spring, leap], catalog, { today: '2024-04-01' });
    expect(t.byQuarter).toEqual([{ quarter: '2024-Q1', severity: 'SEV2', count: 2 }]);
    expect(t.durations.minutes_to_resolve).toEqual([{ year: '2024', count: 2, median: 90, p90: 114, points: [{ id: 'leap', minutes: 120 }, { id: 'spring-forward', minutes: 60 }] }]);
  });

  it('use medians and interpolated percentiles', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 1000], 0.9)).toBeCloseTo(181);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('trends', () => {
  const a = makePostmortem({ id: 'a', date: '2023-11-02', severity: 'SEV1', causes: ['global-rollout', 'status-page-shared-fate'], items: [{ done: false, due: '2023-12-01' }] });
  const b = makePostmortem({ id: 'b', date: '2024-02-10', severity: 'SEV2', trigger: 'expired-credential', causes: ['expired-certificate'] });
  const c = makePostmortem({ id: 'c', date: '2024-05-20', severity: 'SEV1', causes: ['global-rollout'], items: [{ done: false, due: '2024-06-30' }, { done: true, due: '2024-06-01' }] });
  const near = makePostmortem({ id: 'near', date: '2024-05-21', scope: 'none', causes: ['global-rollout'] });
  const t = trends([near, c, b, a], catalog, { today: '2024-06-30' });

  it('counts incidents by quarter, severity, trigger and cause category, near misses apart', () => {
    expect(t.incidents.map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(t.nearMisses.map((p) => p.id)).toEqual(['near']);
    expect(t.quarters).toEqual(['2023-Q4', '2024-Q1', '2024-Q2']);
    expect(t.byQuarter).toEqual([
      { quarter: '2023-Q4', severity: 'SEV1', count: 1 },
      { quarter: '2024-Q1', severity: 'SEV2', count: 1 },
      { quarter: '2024-Q2', severity: 'SEV1', count: 1 },
    ]);
    expect(t.byTrigger).toEqual([{ key: 'config-change', count: 2 }, { key: 'expired-credential', count: 1 }]);
    expect(t.byCategory).toEqual([{ key: 'change-management', count: 2 }, { key: 'communication', count: 1 }, { key: 'credentials', count: 1 }]);
    expect(t.scopes).toEqual([{ key: 'region', count: 3 }, { key: 'none', count: 1 }]);
  });

  it('finds recurring causes and the incident that recurred while a fix was open', () => {
    expect(t.recurrent.map((r) => [r.cause, r.incidents.map((p) => p.id)])).toEqual([['global-rollout', ['a', 'c', 'near']]]);
    expect(t.recurredWhileOpen.map((r) => [r.incident.id, r.cause, r.earlier.id])).toEqual([
      ['c', 'global-rollout', 'a'],
      ['near', 'global-rollout', 'a'],
      ['near', 'global-rollout', 'c'],
    ]);
  });

  it('counts an item due exactly on the build date as open, not overdue', () => {
    expect(t.actions).toEqual({ total: 5, done: 3, open: 2, overdue: 1, declined: 0 });
    const rows = actionRows([a, b, c, near], '2024-06-30');
    expect(rows.map((r) => [r.incident.id, r.state, r.daysOverdue])).toEqual([
      ['a', 'overdue', 212],
      ['c', 'open', 0],
      ['b', 'done', 0],
      ['near', 'done', 0],
      ['c', 'done', 0],
    ]);
    expect(followThrough(rows, (r) => r.incident.data.severity)).toEqual([
      { key: 'SEV1', total: 3, done: 1, open: 2, overdue: 1, declined: 0, completion: 1 / 3, deadline: { met: 0, missed: 0, pending: 0 } },
      { key: 'SEV2', total: 2, done: 2, open: 0, overdue: 0, declined: 0, completion: 1, deadline: { met: 0, missed: 0, pending: 0 } },
    ]);
  });

  it('counts only incidents since a date, but remembers earlier ones for recurrences', () => {
    const since = trends([near, c, b, a], catalog, { today: '2024-06-30', since: '2024-05-01' });
    expect(since.incidents.map((p) => p.id)).toEqual(['c']);
    expect(since.recurredWhileOpen.map((r) => [r.incident.id, r.earlier.id])).toEqual([['c', 'a'], ['near', 'a'], ['near', 'c']]);
  });
});

describe('CSV exports', () => {
  it('are RFC 4180 with a BOM, and neutralise cells a spreadsheet would run as formulas', () => {
    expect(['=1+1', '+SUM(A1)', '-2', '@cmd', '\tx', 'plain', 'a-b', 5, null].map(neutralize)).toEqual(["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "'\tx", 'plain', 'a-b', 5, null]);
    const p = makePostmortem({ id: 'csv', date: '2024-01-02', title: 'Comma, "quote" and\nnewline', items: [{ done: false, due: '2024-01-03' }] });
    const csv = incidentsCsv(incidentRecords([p], '2024-02-01'));
    expect(csv.startsWith('\uFEFFid,title,date,')).toBe(true);
    expect(csv.split('\r\n')[1]).toMatchInlineSnapshot(`
      "csv,"Comma, ""quote"" and
      newline",2024-01-02,SEV2,config-change,global-rollout,region,queue,,,,,839,,1,0,1,0,"
    `);
    expect(actionsCsv(actionRecords(actionRows([p], '2024-02-01')))).toMatchInlineSnapshot(`
      "﻿incident,incident_title,incident_date,severity,action,owner,due,ticket,type,state,days_overdue,done,declined
      csv,"Comma, ""quote"" and
      newline",2024-01-02,SEV2,Fix number 1.,team,2024-01-03,,,overdue,29,,
      "
    `);
  });
});

describe('figures as the site writes them', () => {
  it('separates thousands, the same under any machine locale', () => {
    expect([whole(7), whole(999), whole(45072), whole(1234567)]).toEqual(['7', '999', '45,072', '1,234,567']);
    expect([plural(1, 'incident'), plural(9988, 'incident')]).toEqual(['1 incident', '9,988 incidents']);
    expect(duration(5510)).toBe('3 d 19 h 50 min');
    expect(duration(5510)).toBe('3 d 19 h 50 min'); // remembered, the same the second time
  });

  it('writes an instant as luxon formats it, whether UTC as the timeline writes it or with an offset', () => {
    const instants = ['2014-11-19T00:51:00Z', '2024-02-29T23:59Z', '2019-09-01T07:05:30.250Z', '2014-11-19T00:51:00+05:30', '2021-03-28T01:30:00-07:00'];
    const luxon = (iso: string) => DateTime.fromISO(iso, { zone: 'utc', locale: 'en-GB' }).toFormat("d LLL yyyy, HH:mm 'UTC'");
    expect(instants.map(instant)).toEqual(instants.map(luxon));
    expect(instant('2019-09-01T07:05:00Z')).toBe('1 Sept 2019, 07:05 UTC');
  });
});
