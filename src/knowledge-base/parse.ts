/**
 * One postmortem parsed as the knowledge base keeps it: the format's pure parse and, for the
 * site, the terms search and similarity count (../search/terms.ts), counted here so the parse
 * cache keeps them and a build only adds them up; and the profile the recurrence check reads,
 * which the cache keeps in its profiles pack. The loader calls it on the main thread, the parse
 * workers on theirs.
 */
import { parsePostmortem, type ParseOptions } from '../format/postmortem.ts';
import type { Catalog } from '../format/vocabulary.ts';
import { aboutTerms, postmortemTerms } from '../search/terms.ts';
import { packTerms, type KeptTerms, type ParseResult, type Postmortem, type Profile } from './index.ts';
import { packSearchTerms } from './search-terms.ts';

/** Parses one file; with `html`, also renders its HTML and counts its terms. */
export function parseFile(text: string, file: string, catalog: Catalog, options: ParseOptions = {}): ParseResult {
  const result: ParseResult = parsePostmortem(text, file, catalog, options);
  if (options.html && result.postmortem) {
    result.postmortem.terms = keptTerms(result.postmortem, catalog);
    // The public version is searched and compared by its own text.
    if (result.postmortem.public) result.postmortem.public.terms = keptTerms(result.postmortem.public, catalog);
  }
  if (result.postmortem) result.profile = profileOf(result.postmortem);
  return result;
}

/** The terms a postmortem keeps, its search terms serialized (see index.ts `KeptTerms`). */
function keptTerms(p: Postmortem, catalog: Catalog): KeptTerms {
  const { about, search } = postmortemTerms(p, catalog);
  return { about, search: packSearchTerms(search) };
}

/** What the recurrence check reads of a postmortem (see ../analysis/recurrence-check.ts). */
function profileOf(p: Postmortem): Profile {
  const start = p.timeline.find((entry) => entry.marker === 'start')?.time ?? `${p.data.date}T00:00:00Z`;
  return { status: p.data.status, start, causes: p.data.causes, about: packTerms(p.terms?.about ?? aboutTerms(p)) };
}
