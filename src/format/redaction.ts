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
 * A name in `customers` is a run of capitalised words of its own between commas, `and`, `or`
 * and `;` (`Contoso, Fabrikam and Northwind Traders`); a phrase with digits or more than four
 * words (`about 4% of EU customers`) names no one and is not looked for.
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
}

export interface InternalNames {
  /** Each name with the field it comes from, for the message. */
  names: { name: string; field: string }[];
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** The names a postmortem's internal fields give. */
export function internalNames(fields: Record<string, readonly string[] | string | undefined>): InternalNames {
  const names: InternalNames['names'] = [];
  for (const [field, value] of Object.entries(fields)) {
    for (const written of typeof value === 'string' ? [value] : value ?? []) {
      const candidates = field === 'blast_radius.customers' ? namesIn(written) : [written.trim().replace(/^@/, '')];
      for (const name of candidates) if (name.length >= 3 && !names.some((n) => n.name === name)) names.push({ name, field });
    }
  }
  return { names };
}

/** The names in a sentence about customers (see the module's comment). */
function namesIn(text: string): string[] {
  return text
    .split(/\s*(?:[,;()]|\band\b|\bor\b)\s*/)
    .map((part) => part.trim())
    .filter((part) => /^\p{Lu}/u.test(part) && !/\d/.test(part) && part.split(/\s+/).length <= 4);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function checkRedaction(texts: readonly PublicText[], names: InternalNames, patterns: readonly string[], diagnostics: Diagnostics): void {
  const compiled = patterns.map((source) => ({ source, pattern: new RegExp(source, 'gu') }));
  const named = names.names.map(({ name, field }) => ({ name, field, pattern: new RegExp(`(?<![\\p{L}\\p{N}_])${escape(name)}(?![\\p{L}\\p{N}_])`, 'giu') }));
  for (const { text, at, what } of texts) {
    for (const match of text.matchAll(EMAIL)) {
      diagnostics.report('redaction-email', at(match.index), `The public version's ${what} holds the e-mail address ${quote(match[0])}; remove it, or mark it internal with \`:internal[…]\`.`);
    }
    for (const { source, pattern } of compiled) {
      for (const match of text.matchAll(pattern)) {
        if (match[0] === '') continue;
        diagnostics.report('redaction-pattern', at(match.index), `The public version's ${what} holds ${quote(match[0])}, which matches \`internal_patterns\` ${quote(source)} of hindsight.yml; remove it, or mark it internal with \`:internal[…]\`.`);
      }
    }
    for (const { name, field, pattern } of named) {
      for (const match of text.matchAll(pattern)) {
        diagnostics.report('redaction-name', at(match.index), `The public version's ${what} names ${quote(match[0])}, which \`${field}\` gives and the public version leaves out; remove it, or mark it internal with \`:internal[…]\`.`);
      }
    }
  }
}
