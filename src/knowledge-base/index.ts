/**
 * A knowledge base: the catalogue plus every postmortem, and the rules that span files.
 * Pure and linear in the number of files: ids go through one map, never pairwise.
 */
import type { Catalog } from '../format/vocabulary.ts';
import { compareDiagnostics, quote, type Diagnostic } from '../format/diagnostics.ts';
import type { ParseResult as ParsedFile, Postmortem as ParsedPostmortem } from '../format/postmortem.ts';
import type { PageKind } from '../format/page-links.ts';
import { RULES } from '../format/rules.ts';
import { didYouMean } from '../format/suggest.ts';
import type { TermCounts } from '../search/terms.ts';
import type { Audience } from '../../schemas/visibility.ts';

/** A postmortem of the knowledge base: as the format parsed it and, when loaded for the site, the terms search and similarity count (see parse.ts). */
export interface Postmortem extends ParsedPostmortem {
  terms?: KeptTerms;
  public?: Postmortem;
}

/**
 * The terms a postmortem keeps (see ../search/terms.ts `postmortemTerms`): what similarity reads,
 * and the terms of each search field, serialized (see search-terms.ts). Only the site's background
 * worker reads the search terms, to make the index: they go from the parse worker that counted
 * them, through the parse cache, to that worker as bytes, and no thread between decodes them (at
 * ten thousand postmortems, they were half of decoding the parse cache's data pack).
 */
export interface KeptTerms {
  about: TermCounts;
  search: Uint8Array;
}

/** One file as the knowledge base keeps it (and caches it): the format's result, its postmortem with terms. */
export interface ParseResult extends Omit<ParsedFile, 'postmortem'> {
  postmortem?: Postmortem;
  /** Of a postmortem without errors: what the recurrence check reads of it (see parse.ts). */
  profile?: Profile;
}

/**
 * The little the recurrence check (../analysis/recurrence-check.ts) reads of a postmortem, kept
 * in the parse cache's profiles pack (its status also with the outcome) so that `validate` never
 * loads postmortem data for it, and reads profiles only when some postmortem is unpublished.
 */
export interface Profile {
  status: ParsedPostmortem['data']['status'];
  /** When impact started: the `[start]` entry, else the start of the incident's UTC day. */
  start: string;
  causes: string[];
  /** Its terms as `aboutTerms` counts them (title, summary, root cause): what similarity reads, packed (see `packTerms`). */
  about: PackedTerms;
}

/**
 * TermCounts packed for the profiles pack, which `validate` reads whole when it checks: each term
 * as a 52-bit hash of it in four characters of 13 bits (`hashes`), each count as one character
 * (its code, at most 0xFFFF). Numbering ten thousand files' terms from hashes takes a fraction
 * of the time strings take, and arrays of numbers per file would make the pack several times
 * larger and slower to read. Two different terms share a hash with a chance of about 1 in 2^52
 * per pair: never, in practice.
 */
export type PackedTerms = [hashes: string, counts: string];

export function packTerms(about: TermCounts): PackedTerms {
  let hashes = '';
  let counts = '';
  const [terms, numbers] = about;
  if (numbers.length === 0) return ['', ''];
  terms.split(' ').forEach((term, k) => {
    // Two FNV-1a hashes of 26 bits each, with different offsets and primes.
    let a = 0x811c9dc5;
    let b = 0x050c5d1f;
    for (let i = 0; i < term.length; i++) {
      const code = term.charCodeAt(i);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x0100019d);
    }
    a = (a ^ (a >>> 26)) & 0x3ffffff;
    b = (b ^ (b >>> 26)) & 0x3ffffff;
    hashes += String.fromCharCode(a >>> 13, a & 0x1fff, b >>> 13, b & 0x1fff);
    counts += String.fromCharCode(Math.min(numbers[k]!, 0xffff));
  });
  return [hashes, counts];
}

/** A postmortem as the recurrence check reads it: its profile, `related` ids and, when not published, where its `causes:` key is. */
export interface Profiled extends Profile {
  id: string;
  file: string;
  related: string[];
  causesAt?: ParsedFile['causesAt'];
}

export interface KnowledgeBase {
  catalog: Catalog;
  /** Who the knowledge base was loaded for: `public` has only the public postmortems, each as its public version. */
  audience: Audience;
  /** Postmortems without errors, sorted by date (newest first), then id. */
  postmortems: Postmortem[];
  /** Every diagnostic of every file, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  /** Number of postmortem files read. */
  files: number;
  /** The postmortems without errors as the recurrence check reads them, in no particular order. */
  profiles: Profiled[];
}

/**
 * The ids of the causes and services that links in bodies may go to, from the catalogue; links
 * of a kind left out are not checked (no usable causes.yml, no services.yml).
 */
export interface LinkTargets {
  causes?: Iterable<string>;
  services?: Iterable<string>;
}

/**
 * Every postmortem and diagnostic of a content folder, with the checks across files (the
 * catalogue is the loader's to add). With `today`, the build date, a remediation item finished
 * after it is an error (the parse, which knows no clock, checks the rest of `done:`).
 */
export function assembleKnowledgeBase(results: readonly ParseResult[], catalogDiagnostics: readonly Diagnostic[], targets: LinkTargets = {}, today?: string, audience: Audience = 'internal'): Omit<KnowledgeBase, 'catalog'> {
  const diagnostics: Diagnostic[] = [...catalogDiagnostics];
  for (const result of results) {
    diagnostics.push(...result.diagnostics);
    // The redaction check is for the public's eyes only.
    if (audience === 'public' && result.visibility === 'public') diagnostics.push(...(result.redactions ?? []));
  }

  // Ids are unique, also without regard to case (two files that differ in case collide on
  // case-insensitive file systems and in URLs).
  const byFolded = new Map<string, ParseResult>();
  const failed = new Set<ParseResult>();
  for (const result of [...results].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    const folded = result.id.toLowerCase();
    const first = byFolded.get(folded);
    if (first) {
      const how = first.id === result.id ? 'the same id' : `an id that differs only in case (${quote(first.id)})`;
      diagnostics.push(cross(result.file, 1, 1, 'id-duplicate', `${quote(first.file)} already has ${how}; postmortem ids must be unique across all folders, so rename one of the files.`));
      failed.add(result);
    } else {
      byFolded.set(folded, result);
    }
  }

  const ids = new Set(results.map((r) => r.id));
  for (const result of results) {
    for (const related of result.related) {
      if (related.id === result.id) {
        diagnostics.push(cross(result.file, related.at.line, related.at.column, 'related-self', `This postmortem lists itself in \`related\`; remove ${quote(related.id)}.`));
      } else if (!ids.has(related.id)) {
        const hint = didYouMean(related.id, ids) || '; no postmortem has that id (ids are file names without `.md`).';
        diagnostics.push(cross(result.file, related.at.line, related.at.column, 'related-unknown', `Unknown related postmortem ${quote(related.id)}${hint}`));
        failed.add(result);
      }
    }
  }

  if (today !== undefined) {
    for (const result of results) {
      for (const done of result.doneDates ?? []) {
        if (done.date <= today) continue;
        diagnostics.push(cross(result.file, done.at.line, done.at.column, 'remediation-done', `\`done\` is ${done.date}, after the build date (${today}); give the day the item was finished, or leave the item open until it is.`));
        failed.add(result);
      }
    }
  }

  // Links in bodies to the site's pages of incidents, causes and services go to pages it has;
  // the public text of a public postmortem links to no internal one, which the public site lacks.
  const internal = new Set(results.filter((r) => r.visibility === 'internal').map((r) => r.id));
  const known = { incidents: ids, causes: targets.causes && new Set(targets.causes), services: targets.services && new Set(targets.services) };
  for (const result of results) {
    for (const link of result.pageLinks) {
      if (link.kind === 'incidents' && result.visibility === 'public' && !link.internal && internal.has(link.id)) {
        diagnostics.push(cross(result.file, link.at.line, link.at.column, 'link-internal', `Link ${quote(link.url)} goes to an internal postmortem, which the public site does not have; link to a public one, or mark the link internal with \`:internal[…]\`.`));
        failed.add(result);
        continue;
      }
      const pages = known[link.kind];
      if (!pages || pages.has(link.id)) continue;
      const hint = didYouMean(link.id, pages) || `; ${LINK_EXPECTED[link.kind]}`;
      diagnostics.push(cross(result.file, link.at.line, link.at.column, 'link-unknown', `Link ${quote(link.url)} goes to no page: ${LINK_MISSING[link.kind](quote(link.id))}${hint}`));
    }
  }

  // For the public: the public postmortems only, each as its public version, naming no internal one.
  const shown = (r: ParseResult) => audience === 'internal' || r.visibility === 'public';
  const postmortems = results
    .filter((r) => r.postmortem && !failed.has(r) && shown(r))
    .map((r) => (audience === 'public' ? forPublic(r.postmortem!, internal) : r.postmortem!))
    .sort(newestFirst);
  const profiles = results
    .filter((r) => r.profile && !failed.has(r) && shown(r))
    .map((r): Profiled => ({ ...r.profile!, id: r.id, file: r.file, related: r.related.map((link) => link.id), causesAt: r.causesAt }));
  return { audience, postmortems, diagnostics: diagnostics.sort(compareDiagnostics), files: results.length, profiles };
}

/** A public postmortem as the public site shows it: its public version, its `related` without internal postmortems. */
function forPublic(postmortem: Postmortem, internal: ReadonlySet<string>): Postmortem {
  const version = postmortem.public ?? postmortem;
  const related = version.data.related;
  const { public: _, ...shown } = version;
  if (!related?.some((id) => internal.has(id))) return shown;
  const kept = related.filter((id) => !internal.has(id));
  const { related: __, ...data } = version.data;
  return { ...shown, data: kept.length > 0 ? { ...data, related: kept } : data };
}

const LINK_MISSING: Record<PageKind, (id: string) => string> = {
  incidents: (id) => `no postmortem has the id ${id}`,
  causes: (id) => `${id} is not a cause in causes.yml`,
  services: (id) => `${id} is not a service in services.yml`,
};
const LINK_EXPECTED: Record<PageKind, string> = {
  incidents: 'link to `/incidents/<id>/` with the id of a postmortem (its file name without `.md`).',
  causes: 'link to `/causes/<id>/` with an id defined in causes.yml.',
  services: 'link to `/services/<id>/` with an id defined in services.yml.',
};

function cross(file: string, line: number, column: number, rule: keyof typeof RULES, message: string): Diagnostic {
  return { file, line, column, severity: RULES[rule].severity, rule, message };
}

/** The knowledge base's order of postmortems: by date, newest first, then by id. */
export function newestFirst(a: Pick<Postmortem, 'id' | 'data'>, b: Pick<Postmortem, 'id' | 'data'>): number {
  return a.data.date < b.data.date ? 1 : a.data.date > b.data.date ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
