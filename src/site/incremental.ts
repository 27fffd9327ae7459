/**
 * Incremental builds: a page of an incident, a cause or a service, an overview page (home, the
 * lists, trends, remediation, search), the JSON and CSV exports and the files of search result
 * rows are rendered again only when what they show may have changed; the others are taken from
 * the previous output unchanged.
 *
 * What a page shows is summed up in a fingerprint: the postmortem itself and its revisions in git (incident pages), and
 * for every incident the page lists (recurrences, related, possibly related, recurred while
 * open, the incidents of a cause or service) the facts a list shows of it: front matter,
 * remediation and timeline figures, never its body. The overview pages and the exports show
 * those facts of every incident (and what follows from them: trends, recurrences while a fix was
 * open, counts per cause and service), so they share one fingerprint of all of them; a file of search result rows has one
 * of the text of its postmortems. Everything the whole site shares goes into a salt: Hindsight's own code,
 * whether the pages mark what the public site leaves out, the catalogue, the build date, the base the site is served under (every link), the number of incidents (the footer),
 * the logo (whose address names its content) and the content of the component overrides and the files they import. A page is rendered when its fingerprint differs from the one of the previous build,
 * or that build's file is missing. A test checks an incremental build against a clean one,
 * byte for byte, after edits of a body, a title and a date.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { codeDigest } from '../knowledge-base/code-digest.ts';
import { recurrences, startOf, type Links } from '../analysis/linking.ts';
import type { KnowledgeBase, Postmortem } from '../knowledge-base/index.ts';
import { inRowFile, rowFileCount } from '../search/index-files.ts';
import type { History } from '../knowledge-base/history.ts';
import type { Look } from './branding.ts';
import { services } from './services.ts';

/** How many incidents per cause an incident page lists before and after it (see incidents/[id].astro). */
export const SHOWN_PER_CAUSE = 10;

const hash = (value: unknown) => createHash('sha1').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('base64url');

/** The previous build: its output folder and the fingerprint of each page, by address. */
export interface PreviousBuild {
  dir: string;
  pages: Record<string, string>;
}

/** The overview pages (see src/pages/[...overview].astro): what they show of the incidents is what lists show of each. */
export const OVERVIEWS = ['/', '/incidents/', '/causes/', '/services/', '/trends/', '/actions/', '/search/'] as const;
export type Overview = (typeof OVERVIEWS)[number];

/** The exports, which show the same facts of every incident (see src/pages/[records].csv.ts, api/[records].json.ts). */
export const EXPORTS = ['/api/incidents.json', '/api/actions.json', '/incidents.csv', '/actions.csv'];

/** The address of file n of search result rows (see ../search/index-files.ts). */
export const searchRowAddress = (n: number) => `/search/docs/${n}.json`;

/** The file an address is written to, relative to the output folder: `index.html` in a folder for a page. */
export const outputFile = (address: string) => path.join('.', address, address.endsWith('/') ? 'index.html' : '');

export interface Plan {
  /** Fingerprint of every incident, cause, service and overview page, export and file of search result rows, by address (`/incidents/x/`, `/trends/`, `/actions.csv`, `/search/docs/3.json`). */
  pages: Map<string, string>;
  /** Addresses to render; the others are copied from the previous output. */
  render: Set<string>;
}

/** Hash of the files that decide how pages look: src/, schemas/, the Astro config, the lockfile. */
export function siteCodeDigest(): Promise<string> {
  return codeDigest((f) => /^(src|schemas)\/.*\.(ts|astro|css|mjs|json|svg)$/.test(f) || f === 'astro.config.mjs' || f === 'package-lock.json');
}

/** What the plan reads of the site (see data.ts): the knowledge base, the build date, the base, the incidents shown and their links. */
export interface Planned {
  kb: KnowledgeBase;
  today: string;
  base: string;
  incidents: readonly Postmortem[];
  links: Links;
  /** What hindsight.yml changes of every page (see branding.ts); the logo's address names its content. */
  look: Look;
  /** Each postmortem's revisions in git: its page shows them. */
  history?: History;
  /** Whether pages mark what the public site leaves out: one postmortem made public or internal changes every incident page. */
  marksInternal?: boolean;
}

/**
 * `siteFiles` are the user's files the pages are built from (component overrides and what they
 * import, see customisation.ts): their content goes into the salt with the look of the site.
 */
export function plan(s: Planned, code: string, previous: PreviousBuild | undefined, siteFiles: readonly string[] = []): Plan {
  const userFiles = [...siteFiles].sort().map((file) => [file, existsSync(file) ? createHash('sha1').update(readFileSync(file)).digest('base64url') : null]);
  const salt = hash([code, s.kb.audience, s.marksInternal ?? false, s.kb.catalog.settings, [...(s.kb.catalog.causes ?? [])], [...(s.kb.catalog.services ?? [])], s.today, s.base, s.incidents.length, s.look, userFiles]);
  const cards = new Map<Postmortem, string>();
  /** What an incident list shows of an incident, and what orders lists: when impact started. */
  const card = (p: Postmortem) => {
    let value = cards.get(p);
    if (value === undefined) cards.set(p, (value = hash([p.id, p.data, p.remediation.map((r) => [r.done, r.due, r.owner, r.text, r.ticket, r.type, r.doneOn, r.declined]), p.durations, p.timeline[0]?.time, startOf(p)])));
    return value;
  };
  const pages = new Map<string, string>();
  for (const p of s.incidents) {
    const links = s.links;
    pages.set(
      `/incidents/${p.id}/`,
      hash([
        salt,
        // What the postmortem is follows from its text (the salt covers catalogue and code).
        [p.file, p.digest],
        // Its history: a new commit touching the file renders its page again, and only its page.
        s.history?.get(p.file) ?? [],
        recurrences(p, links, SHOWN_PER_CAUSE).map((r) => [r.cause, r.earlierCount, r.laterCount, r.earlier.map((e) => [card(e.postmortem), e.remediation]), r.later.map(card)]),
        (links.related.get(p.id) ?? []).map(card),
        (links.similar.get(p.id) ?? []).map((x) => card(x.postmortem)),
        // The nearest ones are listed, and how many there are in all is said.
        (links.whileOpen.get(p.id) ?? []).map((w) => [w.cause, card(w.earlier)]),
        links.whileOpenCount.get(p.id) ?? 0,
        (links.reopenedBy.get(p.id) ?? []).map((w) => [w.cause, card(w.later)]),
        links.reopenedCount.get(p.id) ?? 0,
        (links.afterDeclined.get(p.id) ?? []).map((w) => [w.cause, card(w.earlier)]),
        links.afterDeclinedCount.get(p.id) ?? 0,
      ]),
    );
  }
  for (const [id, list] of s.links.byCause) {
    pages.set(`/causes/${id}/`, hash([salt, list.map((p) => [card(p), (s.links.whileOpen.get(p.id) ?? []).filter((w) => w.cause === id).length])]));
  }
  for (const cause of s.kb.catalog.causes?.keys() ?? []) if (!pages.has(`/causes/${cause}/`)) pages.set(`/causes/${cause}/`, hash([salt, []]));
  for (const entry of services(s)) pages.set(`/services/${entry.id}/`, hash([salt, (s.links.byService.get(entry.id) ?? []).map(card)]));
  // The overview pages and the exports show the list facts of every incident, in the site's order.
  const listed = hash([salt, s.incidents.map(card)]);
  for (const address of [...OVERVIEWS, ...EXPORTS]) pages.set(address, listed);
  // A search result row shows what the postmortem's text says (see searchRows), at its place;
  // a file of rows, what its postmortems' texts say.
  for (let n = 0; n < rowFileCount(s.incidents.length); n++) pages.set(searchRowAddress(n), hash([salt, inRowFile(s.incidents, n).map((p) => [p.file, p.digest])]));

  const render = new Set<string>();
  for (const [address, fingerprint] of pages) {
    if (!previous || previous.pages[address] !== fingerprint || !existsSync(path.join(previous.dir, outputFile(address)))) render.add(address);
  }
  return { pages, render };
}
