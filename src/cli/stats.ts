import { isCalendarDate } from '../../schemas/common.ts';
import { actionRows, followThrough, type Deadlines, type FollowThrough } from '../analysis/action-items.ts';
import { buildDate } from '../analysis/build-date.ts';
import { titleOfCause } from '../format/vocabulary.ts';
import { hasErrors } from '../format/diagnostics.ts';
import { actionRecords } from '../analysis/exports.ts';
import { day } from '../format/dates.ts';
import { duration, humanize, percent } from '../site/figures.ts';
import { loadKnowledgeBase } from '../knowledge-base/loader.ts';
import { cacheDirFor } from '../knowledge-base/parse-cache.ts';
import { DURATION_METRICS, trends, type DurationMetric, type Trends } from '../analysis/metrics.ts';
import { terminalSafe } from './reporters.ts';
import { UsageError, type CommandResult } from './result.ts';

export const statsHelp = `Usage: hindsight stats [--content DIR] [--since DATE] [--today DATE] [--json]

The headline trends and the overdue actions of the published postmortems, for a weekly
review without a browser: remediation done, declined and open, and, when hindsight.yml sets
action_deadlines, how many items per severity and per owner were due within them. The figures
are the ones the site's /trends/ and /actions/ show.

Options:
  --content DIR   content folder (default: content)
  --since DATE    count only incidents on or after DATE (YYYY-MM-DD)
  --today DATE    build date that actions are overdue against (default: SOURCE_DATE_EPOCH
                  when set, else today in UTC)
  --json          print the figures as one JSON object
  -h, --help      show this help
`;

export interface StatsOptions {
  cwd: string;
  content?: string;
  since?: string;
  today?: string;
  json?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function stats({ cwd, content = 'content', since, today, json = false, env = process.env }: StatsOptions): Promise<CommandResult> {
  if (since !== undefined && !isCalendarDate(since)) throw new UsageError(`--since ${JSON.stringify(since)} is not a date; write it YYYY-MM-DD, like 2024-01-01.`);
  const date = buildDate({ today, env });
  const kb = await loadKnowledgeBase(content, { cwd, cacheDir: cacheDirFor(cwd, env), today: date });
  const published = kb.postmortems.filter((p) => p.data.status === 'published');
  const t = trends(published, kb.catalog, { today: date, since });
  const rows = actionRows(t.incidents.concat(t.nearMisses), date);
  const overdue = rows.filter((row) => row.state === 'overdue');
  const severities = kb.catalog.settings.severities;
  const deadlines = kb.catalog.settings.action_deadlines;
  // With action_deadlines: how many items met them, per severity and per owner (as /actions/ shows).
  const kept: KeptDeadlines | undefined =
    deadlines && Object.keys(deadlines).length > 0
      ? {
          deadlines,
          bySeverity: followThrough(rows, (r) => r.incident.data.severity, deadlines, date).sort((a, b) => severities.indexOf(a.key) - severities.indexOf(b.key)),
          byOwner: followThrough(rows, (r) => r.item.owner ?? '(no owner)', deadlines, date),
        }
      : undefined;
  const warning = hasErrors(kb.diagnostics) ? 'Some postmortems have errors and are not counted; run hindsight validate.\n' : undefined;
  return {
    status: 0,
    stdout: json ? `${JSON.stringify(asJson(t, overdue, kept), null, 2)}\n` : asText(t, kb.catalog.settings.title, overdue, (id) => titleOfCause(kb.catalog, id), kept),
    ...(warning && { stderr: warning }),
  };
}

interface KeptDeadlines {
  deadlines: NonNullable<Deadlines>;
  bySeverity: FollowThrough[];
  byOwner: FollowThrough[];
}

function asJson(t: Trends, overdue: ReturnType<typeof actionRows>, kept?: KeptDeadlines) {
  return {
    today: t.today,
    since: t.since ?? null,
    incidents: t.incidents.length,
    near_misses: t.nearMisses.length,
    by_quarter: t.byQuarter,
    by_severity: Object.fromEntries(t.bySeverity.map((c) => [c.key, c.count])),
    by_trigger: Object.fromEntries(t.byTrigger.map((c) => [c.key, c.count])),
    by_cause_category: Object.fromEntries(t.byCategory.map((c) => [c.key, c.count])),
    recurrent_causes: t.recurrent.map((r) => ({ cause: r.cause, incidents: r.incidents.map((p) => p.id) })),
    durations: Object.fromEntries(
      (Object.keys(DURATION_METRICS) as DurationMetric[]).map((metric) => [metric, { ...t.overall[metric], by_year: t.durations[metric].map(({ points: _, ...rest }) => rest) }]),
    ),
    scopes: Object.fromEntries(t.scopes.map((c) => [c.key, c.count])),
    recurred_while_open: t.recurredWhileOpen.map((r) => ({ incident: r.incident.id, cause: r.cause, earlier: r.earlier.id })),
    recurred_after_declined: t.recurredAfterDeclined.map((r) => ({ incident: r.incident.id, cause: r.cause, earlier: r.earlier.id })),
    actions: t.actions,
    ...(kept && {
      deadlines: {
        days: kept.deadlines,
        by_severity: Object.fromEntries(kept.bySeverity.map((f) => [f.key, f.deadline])),
        by_owner: Object.fromEntries(kept.byOwner.map((f) => [f.key, f.deadline])),
      },
    }),
    overdue: actionRecords(overdue),
  };
}

/** One line of terminal text from content: control characters escaped, whitespace folded. */
const cell = (text: string) => terminalSafe(text.replace(/\s+/g, ' ').trim());

/** Rows of cells as aligned columns; numeric columns (`right`) align right. */
function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `  ${cells.map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

function asText(t: Trends, title: string, overdue: ReturnType<typeof actionRows>, causeTitle: (id: string) => string, kept?: KeptDeadlines): string {
  const round = (m: number | null) => (m === null ? null : Math.round(m));
  const first = t.incidents[0];
  const last = t.incidents.at(-1);
  const out: string[] = [
    `${cell(title)}: ${t.incidents.length} incidents${first && last ? ` from ${day(first.data.date)} to ${day(last.data.date)}` : ''}${t.since ? ` (since ${day(t.since)})` : ''}, as of ${day(t.today)}`,
    `  near misses ${t.nearMisses.length} · causes seen twice or more ${t.recurrent.length} · recurred while a fix was open ${new Set(t.recurredWhileOpen.map((r) => r.incident)).size}${t.recurredAfterDeclined.length ? ` · recurred after a fix was declined ${new Set(t.recurredAfterDeclined.map((r) => r.incident)).size}` : ''}`,
    '',
    'Incidents per quarter',
  ];
  const severities = t.bySeverity.map((c) => c.key);
  const quarters = [...Map.groupBy(t.byQuarter, (r) => r.quarter)];
  out.push(
    ...table(
      ['quarter', ...severities, 'total'],
      quarters.map(([quarter, rows]) => [quarter, ...severities.map((s) => String(rows.find((r) => r.severity === s)?.count ?? 0)), String(rows.reduce((n, r) => n + r.count, 0))]),
      severities.map((_, i) => i + 1).concat(severities.length + 1),
    ),
  );
  out.push('', 'By trigger', ...table(['trigger', 'incidents'], t.byTrigger.map((c) => [c.key, String(c.count)]), [1]));
  out.push('', 'By cause category', ...table(['category', 'incidents'], t.byCategory.map((c) => [humanize(c.key), String(c.count)]), [1]));
  out.push('', 'Most recurrent causes', ...table(['cause', 'incidents'], t.recurrent.map((r) => [cell(causeTitle(r.cause)), String(r.incidents.length)]), [1]));
  out.push('', 'Blast radius (none: near misses)', ...table(['scope', 'postmortems'], t.scopes.map((c) => [c.key, String(c.count)]), [1]));
  out.push(
    '',
    'Durations (from [start]; medians and 90th percentiles)',
    ...table(
      ['', 'count', 'median', '90th pct.'],
      (Object.entries(DURATION_METRICS) as [DurationMetric, string][]).map(([metric, label]) => [label, String(t.overall[metric].count), duration(round(t.overall[metric].median)), duration(round(t.overall[metric].p90))]),
      [1, 2, 3],
    ),
  );
  const a = t.actions;
  out.push('', `Remediation: ${a.total} items · ${a.done} done (${percent(a.done, a.total - a.declined)}) · ${a.open} open · ${a.overdue} overdue${a.declined ? ` · ${a.declined} declined` : ''}`);
  if (kept) {
    const days = (level: string) => (kept.deadlines[level] === undefined ? '—' : String(kept.deadlines[level]));
    const counts = (f: FollowThrough) => [String(f.deadline.met), String(f.deadline.missed), String(f.deadline.pending)];
    out.push(
      '',
      'Deadlines met (hindsight.yml action_deadlines), by severity',
      ...table(['severity', 'days', 'met', 'missed', 'open within'], kept.bySeverity.map((f) => [f.key, days(f.key), ...counts(f)]), [1, 2, 3, 4]),
      '',
      'Deadlines met, by owner',
      ...table(['owner', 'met', 'missed', 'open within'], kept.byOwner.map((f) => [cell(f.key), ...counts(f)]), [1, 2, 3]),
    );
  }
  if (overdue.length) {
    out.push(
      '',
      'Overdue actions, most overdue first',
      ...table(
        ['days', 'due', 'owner', 'action', 'incident'],
        overdue.map((r) => [String(r.daysOverdue), r.item.due ?? '', cell(r.item.owner ?? '—'), cell(r.item.text.length > 60 ? `${r.item.text.slice(0, 59)}…` : r.item.text), r.incident.id]),
        [0],
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
