/**
 * The redaction check: where the public text of a public postmortem holds what looks internal.
 * Pure: the public text and what is known to be internal in, located warnings out.
 *
 * - `redaction-email`: an e-mail address;
 * - `redaction-pattern`: a match of one of hindsight.yml's `internal_patterns`;
 * - `redaction-name`: a name its internal fields give (each author, remediation owner and
 *   ticket, the organization, each region, and the names in `blast_radius.customers`), written
 *   as a whole word. The public version leaves those fields out, so a name that is in its text
 *   as well has slipped through.
 *
 * The names in `customers` are its runs of capitalised words (`Northwind Traders`), found in each
 * phrase between commas, `and`, `or` and `;`: `Contoso, Fabrikam and Northwind Traders`,
 * `including Brightwater Logistics`, `Gildenmoor Bank complained`, `Contoso's EU tenants`. A word
 * counts when it starts with a capital followed by a small letter (`O'Brien` too), so acronyms
 * (`EU`) and figures name no one; a single word opening a phrase counts only when it is the whole
 * phrase or possessive, so `Three enterprise customers` names no one either. Being proper nouns,
 * they are looked for as written, capitals included: `customers in Europe` makes `Europe` a
 * name, but not `europe`. Tags are keywords, not names, and are not looked for.
 */
import type { Diagnostics, Position } from './diagnostics.ts';
import { quote } from './diagnostics.ts';

/** A text to check, with where each of its offsets is in the file. */
export interface PublicText {
  text: string;
  /** The file position of an offset of `text`. */
  at: (offset: number) => Position;
  /** What the text is, for messages: `the body`, `title`. */
  what: string;
  /** What to do about what the text holds, for messages: `mark it internal with …`. */
  fix: string;
}

export interface InternalNames {
  /** Each name with the field it comes from, for the message. */
  names: { name: string; field: string }[];
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** The names a postmortem's internal fields give (tags are keywords, not names: see above). */
export function internalNames(fields: Record<string, readonly string[] | string | undefined>): InternalNames {
  const names: InternalNames['names'] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'tags') continue;
    for (const written of typeof value === 'string' ? [value] : value ?? []) {
      const candidates = field === 'blast_radius.customers' ? namesIn(written) : [written.trim().replace(/^@/, '')];
      for (const name of candidates) if (name.length >= 3 && !names.some((n) => n.name === name)) names.push({ name, field });
    }
  }
  return { names };
}

/** A word of a name: a capital, then a small letter (see the module's comment). */
const NAME_WORD = String.raw`\p{Lu}(?:['’]\p{Lu})?\p{Ll}[\p{L}\p{M}'’&.-]*`;
const NAME_RUN = new RegExp(`${NAME_WORD}(?:[ \t]+${NAME_WORD})*`, 'gu');
/** Where a sentence about customers splits into phrases. */
const PHRASES = /\s*(?:[,;()]|(?<![\p{L}\p{N}])(?:and|or)(?![\p{L}\p{N}]))\s*/u;

/** The names in a sentence about customers (see the module's comment). */
export function namesIn(text: string): string[] {
  return text
    .split(PHRASES)
    .map((part) => part.trim())
    .flatMap((part) =>
      [...part.matchAll(NAME_RUN)]
        .filter((run) => run.index > 0 || run[0].includes(' ') || run[0] === part || /['’]s$/.test(run[0]))
        .map((run) => run[0].replace(/['’]s$/, '').replace(/[.'’-]+$/, '')),
    );
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function checkRedaction(texts: readonly PublicText[], names: InternalNames, patterns: readonly string[], diagnostics: Diagnostics): void {
  const compiled = patterns.map((source) => ({ source, pattern: new RegExp(source, 'gu') }));
  // A customer's name is a proper noun, looked for as written; other fields' values in any case.
  const named = names.names.map(({ name, field }) => ({ name, field, pattern: new RegExp(`(?<![\\p{L}\\p{N}_])${escape(name)}(?![\\p{L}\\p{N}_])`, field === 'blast_radius.customers' ? 'gu' : 'giu') }));
  for (const { text, at, what, fix } of texts) {
    for (const match of text.matchAll(EMAIL)) {
      diagnostics.report('redaction-email', at(match.index), `The public version's ${what} holds the e-mail address ${quote(match[0])}; ${fix}.`);
    }
    for (const { source, pattern } of compiled) {
      for (const match of text.matchAll(pattern)) {
        if (match[0] === '') continue;
        diagnostics.report('redaction-pattern', at(match.index), `The public version's ${what} holds ${quote(match[0])}, which matches \`internal_patterns\` ${quote(source)} of hindsight.yml; ${fix}.`);
      }
    }
    for (const { name, field, pattern } of named) {
      for (const match of text.matchAll(pattern)) {
        diagnostics.report('redaction-name', at(match.index), `The public version's ${what} names ${quote(match[0])}, which \`${field}\` gives and the public version leaves out; ${fix}.`);
      }
    }
  }
}
