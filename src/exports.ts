/**
 * Machine-readable views of the knowledge base: `/api/incidents.json` (its shape is part of
 * the format contract, FORMAT.md) and the Atom feed. Pure: postmortems and a date in, text out.
 */
import { actionCounts, type ActionCounts } from './action-items.ts';
import type { Postmortem } from './postmortem.ts';
import type { FrontMatter } from '../schemas/frontmatter.ts';

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
}

export function incidentRecords(postmortems: readonly Postmortem[], today: string): IncidentRecord[] {
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
  }));
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
  /** Absolute address of the site (`https://…/`), when known; links are relative otherwise. */
  baseUrl?: string;
  /** Newest entries kept. */
  limit?: number;
}

/** An Atom feed (RFC 4287) of the newest published postmortems. */
export function atomFeed(postmortems: readonly Postmortem[], { title, baseUrl, limit = 50 }: FeedOptions): string {
  const base = baseUrl ? new URL(baseUrl) : undefined;
  const href = (path: string) => (base ? new URL(path.replace(/^\//, ''), base).href : path);
  const id = (path: string) => (base ? href(path) : `urn:hindsight:${path.replace(/^\/|\/$/g, '').replace(/\//g, ':') || 'feed'}`);
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
