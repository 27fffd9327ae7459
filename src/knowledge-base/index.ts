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
import type { PostmortemTerms } from '../search/terms.ts';

/** A postmortem of the knowledge base: as the format parsed it and, when loaded for the site, the terms search and similarity count (see parse.ts). */
export interface Postmortem extends ParsedPostmortem {
  terms?: PostmortemTerms;
}

/** One file as the knowledge base keeps it (and caches it): the format's result, its postmortem with terms. */
export interface ParseResult extends Omit<ParsedFile, 'postmortem'> {
  postmortem?: Postmortem;
}

export interface KnowledgeBase {
  catalog: Catalog;
  /** Postmortems without errors, sorted by date (newest first), then id. */
  postmortems: Postmortem[];
  /** Every diagnostic of every file, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  /** Number of postmortem files read. */
  files: number;
}

/**
 * The ids of the causes and services that links in bodies may go to, from the catalogue; links
 * of a kind left out are not checked (no usable causes.yml, no services.yml).
 */
export interface LinkTargets {
  causes?: Iterable<string>;
  services?: Iterable<string>;
}

/** Every postmortem and diagnostic of a content folder, with the checks across files (the catalogue is the loader's to add). */
export function assembleKnowledgeBase(results: readonly ParseResult[], catalogDiagnostics: readonly Diagnostic[], targets: LinkTargets = {}): Omit<KnowledgeBase, 'catalog'> {
  const diagnostics: Diagnostic[] = [...catalogDiagnostics];
  for (const result of results) diagnostics.push(...result.diagnostics);

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

  // Links in bodies to the site's pages of incidents, causes and services go to pages it has.
  const known = { incidents: ids, causes: targets.causes && new Set(targets.causes), services: targets.services && new Set(targets.services) };
  for (const result of results) {
    for (const link of result.pageLinks) {
      const pages = known[link.kind];
      if (!pages || pages.has(link.id)) continue;
      const hint = didYouMean(link.id, pages) || `; ${LINK_EXPECTED[link.kind]}`;
      diagnostics.push(cross(result.file, link.at.line, link.at.column, 'link-unknown', `Link ${quote(link.url)} goes to no page: ${LINK_MISSING[link.kind](quote(link.id))}${hint}`));
    }
  }

  const postmortems = results
    .filter((r) => r.postmortem && !failed.has(r))
    .map((r) => r.postmortem!)
    .sort(newestFirst);
  return { postmortems, diagnostics: diagnostics.sort(compareDiagnostics), files: results.length };
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
