/**
 * The knowledge base as the site sees it: loaded once per build through the same loader as
 * the CLI. `hindsight build` validates first and hands its loaded knowledge base over, so no
 * file is read or parsed twice; a plain `astro build` loads HINDSIGHT_CONTENT (or content/).
 * Only published postmortems reach the site; drafts and reviews stay out.
 */
import path from 'node:path';
import { actionRows, type ActionRow } from '../analysis/action-items.ts';
import { buildDate } from '../analysis/build-date.ts';
import { titleOfCause } from '../format/vocabulary.ts';
import type { Diagnostic } from '../format/diagnostics.ts';
import type { KnowledgeBase } from '../knowledge-base/index.ts';
import { linkPostmortems, type Links, type SimilarIds } from '../analysis/linking.ts';
import { loadCatalog, loadKnowledgeBase } from '../knowledge-base/loader.ts';
import { loadHistory, type History } from '../knowledge-base/history.ts';
import type { Settings } from '../../schemas/settings.ts';
import { lookOf, type Look } from './branding.ts';
import { trends, type Trends } from '../analysis/metrics.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import type { Background } from './background.ts';
import { limitHeapGrowth } from './memory.ts';
import type { Preview } from './preview.ts';
import { plan, type Plan, type PreviousBuild } from './incremental.ts';

const HANDOFF = Symbol.for('hindsight.knowledge-base');
interface Handed {
  dir: string;
  kb: KnowledgeBase;
  today: string;
  /**
   * For incremental builds: the digest of Hindsight's code, the previous build if any, and (set
   * by the site) the plan, once made, and the search files left as the previous build wrote them.
   */
  incremental?: {
    code: string;
    previous?: PreviousBuild;
    planned?: PromiseWithResolvers<Plan>;
    searchKept?: string[];
    siteFiles?: Set<string>;
    /** Called with the plan once every page is written, while the search files may still be being written. */
    pagesWritten?: (plan: Plan) => void;
  };
  /** Similarity and the term shards, being worked out on a worker thread while Astro runs. */
  background?: Background;
  /** The path the site is served under (see base.ts); `/` when not handed over, as Astro's own base then is. */
  base?: string;
  /** The project root: the folder hindsight runs in, that component overrides and edit links are relative to. */
  project?: string;
  /** Set by `hindsight dev`: drafts are shown, with every problem of the knowledge base. */
  preview?: Preview;
  /** Each postmortem's revisions in git (see ../knowledge-base/history.ts), loaded with the knowledge base. */
  history?: History;
}
type Handoff = { [HANDOFF]?: Handed };

/** Called by `hindsight build` before it starts Astro in the same process. */
export function handOver(dir: string, kb: KnowledgeBase, today: string, { incremental, background, base, preview, project, history }: Pick<Handed, 'incremental' | 'background' | 'base' | 'preview' | 'project' | 'history'> = {}): void {
  if (incremental) incremental.planned = Promise.withResolvers();
  (globalThis as Handoff)[HANDOFF] = { dir: path.resolve(dir), kb, today, incremental, background, base, preview, project, history };
}

/**
 * The settings of this build with the folders their paths are relative to: the content folder
 * and the project root. For the customisation integration, before any page: when nothing was
 * handed over (a plain `astro build`), only the catalogue is read, with its diagnostics.
 */
export async function buildSettings(): Promise<{ settings: Settings; content: string; project: string; diagnostics: Diagnostic[] }> {
  const dir = contentDir();
  const handed = (globalThis as Handoff)[HANDOFF];
  if (handed?.dir === dir) return { settings: handed.kb.catalog.settings, content: dir, project: handed.project ?? process.cwd(), diagnostics: [] };
  const { catalog, diagnostics } = await loadCatalog(dir, { cwd: process.cwd() });
  return { settings: catalog.settings, content: dir, project: process.cwd(), diagnostics };
}

/**
 * Records files of the user's that the pages are built from (component overrides and what they
 * import), for the incremental plan: their content is part of what every page shows.
 */
export function recordSiteFiles(files: Iterable<string>): void {
  const incremental = (globalThis as Handoff)[HANDOFF]?.incremental;
  if (!incremental) return;
  incremental.siteFiles ??= new Set();
  for (const file of files) incremental.siteFiles.add(file);
}

/**
 * The plan of the build that was handed over (which pages it renders, and every page's
 * fingerprint), once the site has made it; undefined when the build is not incremental.
 */
export function handedPlan(): Promise<Plan> | undefined {
  // Read through the global: Astro's bundle of the pages has its own copy of this module.
  return (globalThis as Handoff)[HANDOFF]?.incremental?.planned?.promise;
}

/**
 * Tells the build that handed the knowledge base over that every page is written (see
 * search-files.ts): it takes the unchanged ones from its previous output meanwhile.
 */
export async function pagesWritten(): Promise<void> {
  const incremental = (globalThis as Handoff)[HANDOFF]?.incremental;
  if (incremental?.pagesWritten && incremental.planned) incremental.pagesWritten(await incremental.planned.promise);
}

/** The previous output folder of an incremental build, where unchanged files may be left as they are. */
export function handedPreviousOutput(): string | undefined {
  return (globalThis as Handoff)[HANDOFF]?.incremental?.previous?.dir;
}

/** The background work `hindsight build` started, if it did. */
export function handedBackground(): Background | undefined {
  return (globalThis as Handoff)[HANDOFF]?.background;
}

/** Records the search files (paths in the output folder) the previous build wrote the same, for `hindsight build`. */
export function keepSearchFiles(files: string[]): void {
  const incremental = (globalThis as Handoff)[HANDOFF]?.incremental;
  if (incremental) incremental.searchKept = files;
}

/** The search files the site recorded as written the same by the previous build. */
export function keptSearchFiles(): string[] {
  return (globalThis as Handoff)[HANDOFF]?.incremental?.searchKept ?? [];
}

export interface Site {
  kb: KnowledgeBase;
  title: string;
  /** Build date, `YYYY-MM-DD`. */
  today: string;
  /** Published postmortems, newest first; under `hindsight dev`, drafts and reviews too. */
  incidents: Postmortem[];
  links: Links;
  /** The figures of the trends page, which the home page shows too. */
  trends: Trends;
  /** The path the site is served under, `/` or like `/postmortems/`: every address of the site goes through base.ts's withBase with it. */
  base: string;
  /** What hindsight.yml changes of every page: logo, accent, header links, footer, edit links. */
  look: Look;
  /** Which incident, cause and service pages to render; all of them when undefined. */
  plan?: Plan;
  /** Under `hindsight dev` only: what the preview shows beyond a build. */
  preview?: Preview;
  /** Each postmortem's revisions in git, newest first, by its `file`; empty outside a repository or in a shallow clone, and on a site for the public (commits are internal). */
  history: History;
  /**
   * On the internal site of a knowledge base with public postmortems: mark what the public site
   * leaves out (internal postmortems, internal parts).
   */
  marksInternal: boolean;
}

/** Whether this build renders the page at `address` (see incremental.ts). */
export function wanted(s: Site, address: string): boolean {
  return !s.plan || s.plan.render.has(address);
}

let loading: Promise<Handed> | undefined;

let resolved: { from: string; dir: string } | undefined;

/** The content folder of this build: HINDSIGHT_CONTENT, else content/, in the working folder. */
function contentDir(): string {
  // Every component of every page asks: the folder is resolved once per setting and working folder.
  const from = `${process.env.HINDSIGHT_CONTENT ?? 'content'}\u0000${process.cwd()}`;
  if (resolved?.from !== from) resolved = { from, dir: path.resolve(process.env.HINDSIGHT_CONTENT ?? 'content') };
  return resolved.dir;
}

/** The knowledge base of this build: handed over by `hindsight build`, else loaded once. */
function knowledgeBase(): Promise<Handed> {
  const dir = contentDir();
  const handed = (globalThis as Handoff)[HANDOFF];
  if (handed?.dir === dir) return Promise.resolve(handed);
  loading ??= Promise.all([loadKnowledgeBase(dir, { cwd: process.cwd(), html: true, workers: false }), loadHistory(dir, { cwd: process.cwd() })]).then(([kb, history]) => ({ dir, kb, today: buildDate(), history }));
  return loading;
}

export async function site(): Promise<Site> {
  const handed = await knowledgeBase();
  return siteOf(handed, await handed.background?.similar);
}

/** Only the published postmortems (for the search files), without the site's links and figures. */
export async function published(): Promise<{ kb: KnowledgeBase; incidents: Postmortem[] }> {
  const { kb } = await knowledgeBase();
  return { kb, incidents: publishedOf(kb) };
}

/** The postmortems the site shows, newest first. */
export const publishedOf = (kb: KnowledgeBase) => kb.postmortems.filter((p) => p.data.status === 'published');

const built = new WeakMap<KnowledgeBase, Site>();
const NO_HISTORY: History = new Map();

function siteOf({ dir, kb, today, incremental, base = '/', preview, history = NO_HISTORY }: Handed, similar: SimilarIds | undefined): Site {
  let result = built.get(kb);
  if (!result || result.today !== today || result.base !== base || result.history !== history) {
    // A build renders thousands of pages from here on: the heap is kept near what is live (see memory.ts).
    if (!preview) limitHeapGrowth();
    const incidents = preview ? kb.postmortems : publishedOf(kb);
    const links = linkPostmortems(incidents, similar);
    const marksInternal = kb.audience === 'internal' && kb.postmortems.some((p) => p.visibility === 'public');
    let figures: Trends | undefined;
    result = {
      kb,
      title: kb.catalog.settings.title,
      today,
      base,
      look: lookOf(kb.catalog.settings, dir, kb.audience),
      incidents,
      links,
      // Worked out when a page first reads them: a rebuild that renders neither the home page
      // nor the trends page does without (0.3 s at 10,000 postmortems).
      get trends() {
        return (figures ??= trends(incidents, kb.catalog, { today, links }));
      },
      history: kb.audience === 'public' ? NO_HISTORY : history,
      marksInternal,
      ...(preview ? { preview } : {}),
    };
    if (incremental) {
      result.plan = plan(result, incremental.code, incremental.previous, [...(incremental.siteFiles ?? [])]);
      incremental.planned?.resolve(result.plan);
    }
    built.set(kb, result);
  }
  return result;
}

const rowsOfSite = new WeakMap<Site, ActionRow[]>();

/**
 * Every remediation item of the site's incidents, most overdue first (action-items.ts's
 * actionRows): made once per site, as the actions page and the JSON and CSV exports list them
 * all (45,072 items at 10,000 postmortems, sorted in 80 ms).
 */
export function siteActionRows(s: Site): ActionRow[] {
  let rows = rowsOfSite.get(s);
  if (!rows) rowsOfSite.set(s, (rows = actionRows(s.incidents, s.today)));
  return rows;
}

export function causeTitle(s: Site, id: string): string {
  return titleOfCause(s.kb.catalog, id);
}

export function serviceName(s: Site, id: string): string {
  return s.kb.catalog.services?.get(id)?.name ?? id;
}
