/**
 * One postmortem parsed as the knowledge base keeps it: the format's pure parse and, for the
 * site, the terms search and similarity count (../search/terms.ts), counted here so the parse
 * cache keeps them and a build only adds them up. The loader calls it on the main thread, the
 * parse workers on theirs.
 */
import { parsePostmortem, type ParseOptions } from '../format/postmortem.ts';
import type { Catalog } from '../format/vocabulary.ts';
import { postmortemTerms } from '../search/terms.ts';
import type { ParseResult } from './index.ts';

/** Parses one file; with `html`, also renders its HTML and counts its terms. */
export function parseFile(text: string, file: string, catalog: Catalog, options: ParseOptions = {}): ParseResult {
  const result: ParseResult = parsePostmortem(text, file, catalog, options);
  if (options.html && result.postmortem) result.postmortem.terms = postmortemTerms(result.postmortem, catalog);
  return result;
}
