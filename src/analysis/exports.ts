/**
 * Machine-readable views of the knowledge base: `/api/incidents.json` (its shape is part of
 * the format contract, FORMAT.md) and the Atom feed. Pure: postmortems and a date in, text out.
 */
import { stringify } from 'csv-stringify/sync';
import { actionCounts, type ActionCounts, type ActionRow } from './action-items.ts';
import { chronological, type Links } from './linking.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import type { FrontMatter } from '../../schemas/frontmatter.ts';

export interface IncidentRecord {
  id: string;
  title: string;
  date: string;
  severity: string;
  trigger: string;
  causes: string[];
  blast_radius: FrontMatter['blast_radius'];
  minutes_to_detect: number | null;
  minutes_to_mitigate: number | null;
  minutes_to_resolve: number | null;
  minutes_to_first_comms: number | null;
  actions: ActionCounts;
  /** Ids of the earlier incidents whose unfinished remediation this one recurred during, oldest first (the latest WHILE_OPEN_KEPT per cause). */
  recurred_while_open: string[];
}

/** The records of `postmortems`; `links` (over the same postmortems) tell what they recurred during. */
export function incidentRecords(postmortems: readonly Postmortem[], today: string, links?: Pick<Links, 'whileOpen'>): IncidentRecord[] {
  const whileOpen = (p: Postmortem) => [...new Set((links?.whileOpen.get(p.id) ?? []).map((pair) => pair.earlier))].sort(chronological).map((earlier) => earlier.id);
  return postmortems.map((p) => ({
    id: p.id,
    title: p.data.title,
    date: p.data.date,
    severity: p.data.severity,
    trigger: p.data.trigger,
    causes: p.data.causes,
    blast_radius: p.data.blast_radius,
    ...p.durations,
    actions: actionCounts(p.remediation, today),
    recurred_while_open: whileOpen(p),
  }));
}

export interface ActionRecord {
  incident: string;
  incident_title: string;
  incident_date: string;
  severity: string;
  /** The action as written, in Markdown. */
  action: string;
  owner: string | null;
  due: string | null;
  ticket: string | null;
  type: string | null;
  state: ActionRow['state'];
  days_overdue: number;
  /** The day the item was finished, when it says. */
  done: string | null;
  /** Why it was declined, for a declined item. */
  declined: string | null;
}

export function actionRecords(rows: readonly ActionRow[]): ActionRecord[] {
  return rows.map(({ incident, item, state, daysOverdue }) => ({
    incident: incident.id,
    incident_title: incident.data.title,
    incident_date: incident.data.date,
    severity: incident.data.severity,
    action: item.text,
    owner: item.owner ?? null,
    due: item.due ?? null,
    ticket: item.ticket ?? null,
    type: item.type ?? null,
    state,
    days_overdue: daysOverdue,
    done: item.doneOn ?? null,
    declined: item.declined ?? null,
  }));
}

type Cell = string | number | null;

/**
 * A text cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`,
 * a tab or a carriage return) gets a leading apostrophe, so it stays text (OWASP's advice).
 */
export function neutralize(cell: Cell): Cell {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 CSV: a header row, CRLF line ends, quotes where needed; a BOM so spreadsheets read UTF-8. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return stringify([header, ...rows.map((row) => row.map(neutralize))], { bom: true, record_delimiter: 'windows', cast: { number: String } });
}

export function incidentsCsv(records: readonly IncidentRecord[]): string {
  const header = ['id', 'title', 'date', 'severity', 'trigger', 'causes', 'scope', 'services', 'regions', 'customers', 'minutes_to_detect', 'minutes_to_mitigate', 'minutes_to_resolve', 'minutes_to_first_comms', 'actions_open', 'actions_done', 'actions_overdue', 'actions_declined', 'recurred_while_open'];
  return toCsv(
    header,
    records.map((r) => [
      r.id,
      r.title,
      r.date,
      r.severity,
      r.trigger,
      r.causes.join('; '),
      r.blast_radius.scope,
      r.blast_radius.services.join('; '),
      (r.blast_radius.regions ?? []).join('; '),
      r.blast_radius.customers ?? null,
      r.minutes_to_detect,
      r.minutes_to_mitigate,
      r.minutes_to_resolve,
      r.minutes_to_first_comms,
      r.actions.open,
      r.actions.done,
      r.actions.overdue,
      r.actions.declined,
      r.recurred_while_open.join('; '),
    ]),
  );
}

export function actionsCsv(records: readonly ActionRecord[]): string {
  const header = ['incident', 'incident_title', 'incident_date', 'severity', 'action', 'owner', 'due', 'ticket', 'type', 'state', 'days_overdue', 'done', 'declined'] as const;
  return toCsv(header, records.map((r) => header.map((key) => r[key])));
}

/** Text for XML: markup characters escaped, characters XML 1.0 forbids removed. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export interface FeedOptions {
  title: string;
  /**
   * The address the feed gives one of the site's paths (`/incidents/x/`): absolute
   * (`https://…/incidents/x/`) when the site's address is known, and then also the entry's id;
   * else root-relative, under the path the site is served from. Default: the path as it is.
   */
  href?: (path: string) => string;
  /** Newest entries kept. */
  limit?: number;
}

/** An Atom feed (RFC 4287) of the newest published postmortems. */
export function atomFeed(postmortems: readonly Postmortem[], { title, href = (path) => path, limit = 50 }: FeedOptions): string {
  // An absolute address is a permanent id; without one, a URN made of the path (whatever the base).
  const absolute = URL.canParse(href('/'));
  const id = (path: string) => (absolute ? href(path) : `urn:hindsight:${path.replace(/^\/|\/$/g, '').replace(/\//g, ':') || 'feed'}`);
  const entries = postmortems.slice(0, limit);
  const updated = entries.length ? `${entries.map((p) => p.data.date).sort().at(-1)}T00:00:00Z` : '1970-01-01T00:00:00Z';
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${escapeXml(title)}</title>`,
    `  <id>${escapeXml(id('/'))}</id>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(href('/'))}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(href('/feed.xml'))}"/>`,
    `  <updated>${updated}</updated>`,
    '  <generator>Hindsight</generator>',
  ];
  for (const p of entries) {
    const path = `/incidents/${p.id}/`;
    lines.push(
      '  <entry>',
      `    <title>${escapeXml(p.data.title)}</title>`,
      `    <id>${escapeXml(id(path))}</id>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(href(path))}"/>`,
      `    <published>${p.data.date}T00:00:00Z</published>`,
      `    <updated>${p.data.date}T00:00:00Z</updated>`,
      ...(p.data.authors ?? ['Hindsight']).map((name) => `    <author><name>${escapeXml(name)}</name></author>`),
      ...p.data.causes.map((cause) => `    <category term="${escapeXml(cause)}"/>`),
      `    <summary type="text">${escapeXml(`${p.data.severity} · ${p.data.summary}`)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
