/**
 * Figures over many incidents, for the trends page, `hindsight stats` and the exports: one
 * place computes them, so the page and the terminal always agree. Durations are skewed (most
 * incidents end within hours, a few take days), so the figures are medians and percentiles,
 * never means. Near misses (`scope: none`) had no impact; they are counted apart.
 */
import { SCOPES, TRIGGERS } from '../../schemas/frontmatter.ts';
import { actionCounts, type ActionCounts } from './action-items.ts';
import type { Catalog } from '../format/vocabulary.ts';
import { chronological, linkPostmortems, type Links } from './linking.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import type { Durations } from '../format/timeline.ts';

/** The q-quantile (0–1) by linear interpolation between closest ranks; null when empty. */
export function quantile(values: readonly number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * q;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}

/** `2014-11-19` → `2014-Q4`. The date is the UTC day impact started, so quarters are UTC too. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Every quarter from the first to the last, gaps included. */
export function quarterRange(first: string, last: string): string[] {
  const quarters: string[] = [];
  let [year, q] = [Number(first.slice(0, 4)), Number(first.slice(6))];
  const end = Number(last.slice(0, 4)) * 4 + Number(last.slice(6));
  while (year * 4 + q <= end) {
    quarters.push(`${year}-Q${q}`);
    [year, q] = q === 4 ? [year + 1, 1] : [year, q + 1];
  }
  return quarters;
}

export const DURATION_METRICS = {
  minutes_to_detect: 'Time to detect',
  minutes_to_mitigate: 'Time to mitigate',
  minutes_to_resolve: 'Time to resolve',
  minutes_to_first_comms: 'Time to first customer update',
} as const satisfies Record<keyof Durations, string>;
export type DurationMetric = keyof typeof DURATION_METRICS;

export interface Distribution {
  year: string;
  count: number;
  median: number;
  p90: number;
  /** Every incident's figure, for plotting them as points. */
  points: { id: string; minutes: number }[];
}

export interface Count<K extends string = string> {
  key: K;
  count: number;
}

export interface Trends {
  today: string;
  /** Only incidents on or after this date were counted. */
  since?: string;
  /** Incidents with impact (near misses apart), oldest first. */
  incidents: Postmortem[];
  nearMisses: Postmortem[];
  quarters: string[];
  /** Incidents per quarter and severity (zero counts left out). */
  byQuarter: { quarter: string; severity: string; count: number }[];
  bySeverity: Count[];
  byTrigger: Count[];
  /** Incidents per cause category; an incident counts once per category. */
  byCategory: Count[];
  /** Causes seen in two incidents or more, most recurrent first. */
  recurrent: { cause: string; incidents: Postmortem[] }[];
  durations: Record<DurationMetric, Distribution[]>;
  /** Medians and 90th percentiles over all the years. */
  overall: Record<DurationMetric, { count: number; median: number | null; p90: number | null }>;
  scopes: Count[];
  /** Incidents whose cause still had unfinished remediation from an earlier one. */
  recurredWhileOpen: { incident: Postmortem; cause: string; earlier: Postmortem }[];
  /** Incidents whose cause had a fix declined after an earlier one. */
  recurredAfterDeclined: { incident: Postmortem; cause: string; earlier: Postmortem }[];
  actions: ActionCounts & { total: number };
}

function counts<K extends string>(keys: readonly K[], values: Iterable<K>): Count<K>[] {
  const map = new Map<K, number>(keys.map((k) => [k, 0]));
  for (const value of values) map.set(value, (map.get(value) ?? 0) + 1);
  return [...map].map(([key, count]) => ({ key, count })).filter((c) => c.count > 0);
}

const byCountThenKey = (a: Count, b: Count) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export interface TrendOptions {
  today: string;
  since?: string;
  /** Links over every published postmortem, when already made (the site has them). */
  links?: Links;
}

/** Trends of published postmortems. Recurrences look at every incident, also before `since`. */
export function trends(published: readonly Postmortem[], catalog: Catalog, { today, since, links = linkPostmortems(published) }: TrendOptions): Trends {
  const counted = published.filter((p) => !since || p.data.date >= since).sort(chronological);
  const incidents = counted.filter((p) => p.data.blast_radius.scope !== 'none');
  const nearMisses = counted.filter((p) => p.data.blast_radius.scope === 'none');
  const severities = catalog.settings.severities;

  const quarters = incidents.length ? quarterRange(quarterOf(incidents[0]!.data.date), quarterOf(incidents.at(-1)!.data.date)) : [];
  const perQuarter = new Map<string, number>();
  for (const p of incidents) {
    const key = `${quarterOf(p.data.date)} ${p.data.severity}`;
    perQuarter.set(key, (perQuarter.get(key) ?? 0) + 1);
  }
  const byQuarter = quarters.flatMap((quarter) =>
    severities.map((severity) => ({ quarter, severity, count: perQuarter.get(`${quarter} ${severity}`) ?? 0 })).filter((row) => row.count > 0),
  );

  const countedSet = new Set(counted);
  const category = (cause: string) => catalog.causes?.get(cause)?.category ?? 'uncategorized';
  const recurrent = [...links.byCause]
    .map(([cause, list]) => ({ cause, incidents: list.filter((p) => countedSet.has(p)) }))
    .filter((r) => r.incidents.length >= 2)
    .sort((a, b) => b.incidents.length - a.incidents.length || (a.cause < b.cause ? -1 : 1));

  const durations = {} as Trends['durations'];
  const overall = {} as Trends['overall'];
  for (const metric of Object.keys(DURATION_METRICS) as DurationMetric[]) {
    const measured = incidents.flatMap((p) => (p.durations[metric] === null ? [] : [{ id: p.id, year: p.data.date.slice(0, 4), minutes: p.durations[metric] }]));
    const byYear = Map.groupBy(measured, (point) => point.year);
    durations[metric] = [...byYear].map(([year, points]) => {
      const values = points.map((point) => point.minutes);
      return { year, count: points.length, median: median(values)!, p90: quantile(values, 0.9)!, points: points.map(({ id, minutes }) => ({ id, minutes })) };
    });
    const all = incidents.map((p) => p.durations[metric]).filter((m) => m !== null);
    overall[metric] = { count: all.length, median: median(all), p90: quantile(all, 0.9) };
  }

  const items = counted.flatMap((p) => p.remediation);
  return {
    today,
    since,
    incidents,
    nearMisses,
    quarters,
    byQuarter,
    bySeverity: counts(severities, incidents.map((p) => p.data.severity)),
    byTrigger: counts(TRIGGERS, incidents.map((p) => p.data.trigger)).sort(byCountThenKey),
    byCategory: counts([], incidents.flatMap((p) => [...new Set(p.data.causes.map(category))])).sort(byCountThenKey),
    recurrent,
    durations,
    overall,
    scopes: counts(SCOPES, counted.map((p) => p.data.blast_radius.scope)),
    recurredWhileOpen: counted.flatMap((incident) => (links.whileOpen.get(incident.id) ?? []).map(({ cause, earlier }) => ({ incident, cause, earlier }))),
    recurredAfterDeclined: counted.flatMap((incident) => (links.afterDeclined.get(incident.id) ?? []).map(({ cause, earlier }) => ({ incident, cause, earlier }))),
    actions: { ...actionCounts(items, today), total: items.length },
  };
}
