/**
 * Charts for the trends page, drawn at build time as SVG by Observable Plot on a server-side
 * DOM (linkedom): no JavaScript in the browser. Axes and text use `currentColor`, so the page's
 * light, dark and print styles apply; series colours are mid-tones that read on both.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Count, Distribution } from '../analysis/metrics.ts';

const { document } = parseHTML('<!doctype html><html><body></body></html>');

/** Colours of the severity levels, worst first; levels past the fourth are grey. */
export const SEVERITY_COLORS = ['#d93f3f', '#e8833a', '#c9a227', '#5b8def'];
const OTHER = '#8c959f';
/** What every chart shares: the DOM it is drawn on, its width and its type size. */
const BASE = { document, width: 600, style: { fontSize: '13px' } };
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface ChartText {
  /** Unique on the page: prefixes the SVG's ids. */
  id: string;
  title: string;
  description: string;
}

/** The SVG, labelled for assistive technology, with ids that cannot clash with another chart's. */
function finish(svg: Element, { id, title, description }: ChartText): string {
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', `${id}-title ${id}-desc`);
  // The SVG is one image to assistive technology: its parts' labels (Plot's `<g aria-label>`) go.
  svg.removeAttribute('aria-label');
  for (const part of svg.querySelectorAll('[aria-label], [aria-description]')) {
    part.removeAttribute('aria-label');
    part.removeAttribute('aria-description');
  }
  const titleNode = document.createElementNS(SVG_NS, 'title');
  titleNode.setAttribute('id', `${id}-title`);
  titleNode.textContent = title;
  const descNode = document.createElementNS(SVG_NS, 'desc');
  descNode.setAttribute('id', `${id}-desc`);
  descNode.textContent = description;
  svg.prepend(titleNode, descNode);
  // Plot numbers clip paths with a counter shared by every chart of the build: renumber per chart.
  const clips = new Map<string, string>();
  return svg.outerHTML.replace(/plot-clip-\d+/g, (clip) => {
    if (!clips.has(clip)) clips.set(clip, `${id}-clip-${clips.size}`);
    return clips.get(clip)!;
  });
}

export function severityColor(severities: readonly string[], level: string): string {
  const rank = severities.indexOf(level);
  return rank >= 0 && rank < SEVERITY_COLORS.length ? SEVERITY_COLORS[rank]! : OTHER;
}

/** Incidents per quarter, stacked by severity; a tick for each year's first quarter. */
export function quarterChart(rows: readonly { quarter: string; severity: string; count: number }[], quarters: readonly string[], severities: readonly string[], text: ChartText): string {
  const svg = Plot.plot({
    ...BASE,
    height: 300,
    marginBottom: 40,
    x: { domain: quarters, label: 'Quarter', ...quarterTicks(quarters), padding: 0.15 },
    y: { label: 'Incidents', grid: true, tickFormat: 'd', ticks: integerTicks(Math.max(1, ...stackHeights(rows))) },
    color: { domain: [...severities], range: severities.map((level) => severityColor(severities, level)) },
    marks: [Plot.barY(rows, { x: 'quarter', y: 'count', fill: 'severity', order: [...severities] }), Plot.ruleY([0])],
  });
  return finish(svg, text);
}

/** Counts as horizontal bars, biggest first. */
export function barChart(rows: readonly Count[], { label, category, ...text }: ChartText & { label: string; category: string }): string {
  const svg = Plot.plot({
    ...BASE,
    height: 60 + rows.length * 28,
    marginTop: 24,
    marginLeft: 170,
    x: { label, grid: true, tickFormat: 'd', ticks: integerTicks(Math.max(1, ...rows.map((r) => r.count))) },
    y: { label: category, labelAnchor: 'top', labelArrow: 'none', domain: rows.map((r) => r.key) },
    marks: [Plot.barX(rows, { y: 'key', x: 'count', fill: 'currentColor', fillOpacity: 0.55 }), Plot.ruleX([0])],
  });
  return finish(svg, text);
}

/** Past this many incidents, the duration chart draws incidents of about the same duration as one dot. */
const DOTS_MAX = 2000;
/** Buckets per unit of ln(1 + minutes): about 2% apart, closer than a dot's width on the axis. */
const BUCKETS_PER_LOG = 50;

/**
 * Durations per year: every incident as a point, the median as a solid tick and the 90th
 * percentile as a dashed one, on a symmetric log scale (minutes to days on one axis, zero kept).
 * With more than DOTS_MAX incidents, those of a year within about 2% of each other's duration
 * are one dot at their mean, sized by how many they are: ten thousand dots would weigh megabytes
 * and show no more.
 */
export function durationChart(distributions: readonly Distribution[], text: ChartText): string {
  const all = distributions.flatMap((d) => d.points.map((p) => ({ year: d.year, minutes: p.minutes, count: 1 })));
  const points = all.length > DOTS_MAX ? bucketed(all) : all;
  const years = distributions.map((d) => d.year);
  const max = Math.max(60, ...points.map((p) => p.minutes));
  const ticks = [0, 10, 60, 360, 1440, 10080, 43200].filter((t) => t <= max * 1.2);
  const svg = Plot.plot({
    ...BASE,
    height: 70 + years.length * 26,
    marginTop: 24,
    marginLeft: 50,
    x: { type: 'symlog', label: 'Minutes from start (log scale)', grid: true, ticks, tickFormat: formatMinutes, domain: [0, max * 1.2] },
    y: { type: 'band', label: 'Year', labelAnchor: 'top', labelArrow: 'none', domain: years },
    marks: [
      Plot.dot(points, { x: 'minutes', y: 'year', r: all.length > DOTS_MAX ? 'count' : 3.5, stroke: 'currentColor', strokeOpacity: 0.75 }),
      Plot.tickX(distributions, { x: 'median', y: 'year', stroke: SEVERITY_COLORS[0], strokeWidth: 3 }),
      Plot.tickX(distributions, { x: 'p90', y: 'year', stroke: SEVERITY_COLORS[3], strokeWidth: 3, strokeDasharray: '4,3' }),
    ],
  });
  return finish(svg, text);
}

/** Points of a year grouped by their bucket of ln(1 + minutes): one point per bucket at the mean, with the count. */
function bucketed(points: readonly { year: string; minutes: number; count: number }[]) {
  const groups = new Map<string, { year: string; total: number; count: number }>();
  for (const p of points) {
    const key = `${p.year} ${Math.round(Math.log1p(p.minutes) * BUCKETS_PER_LOG)}`;
    const group = groups.get(key) ?? groups.set(key, { year: p.year, total: 0, count: 0 }).get(key)!;
    group.total += p.minutes;
    group.count++;
  }
  return [...groups.values()].map((g) => ({ year: g.year, minutes: g.total / g.count, count: g.count }));
}

/** A few quarters are each labelled; many get a label per year, at its first quarter. */
function quarterTicks(quarters: readonly string[]) {
  return quarters.length <= 8 ? { ticks: [...quarters] } : { ticks: quarters.filter((q) => q.endsWith('Q1')), tickFormat: (q: string) => q.slice(0, 4) };
}

/** Every whole number up to a small maximum; past 8, Plot picks round ones. */
function integerTicks(max: number): number[] | number {
  return max <= 8 ? Array.from({ length: max + 1 }, (_, i) => i) : 6;
}

/** The height of each quarter's stack. */
function stackHeights(rows: readonly { quarter: string; count: number }[]): number[] {
  const heights = new Map<string, number>();
  for (const row of rows) heights.set(row.quarter, (heights.get(row.quarter) ?? 0) + row.count);
  return [...heights.values()];
}

/** Axis labels: `0`, `10m`, `1h`, `6h`, `1d`, `1w`, `30d`. */
function formatMinutes(minutes: number): string {
  if (minutes === 0) return '0';
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 1440) return `${minutes / 60}h`;
  if (minutes === 10080) return '1w';
  return `${minutes / 1440}d`;
}
