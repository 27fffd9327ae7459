/**
 * Recurrence caught at write time (rule possible-recurrence): a postmortem not yet published
 * whose title, summary and root cause read like an earlier published incident, by the site's
 * own "possibly related" similarity (`similarIncidents`: the same terms, weights, cosine and
 * SIMILARITY_THRESHOLD), while it shares none of that incident's causes and does not name it in
 * `related`, is probably a recurrence whose cause was missed. Pure: it reads the profiles the
 * knowledge base keeps in the parse cache's profiles pack, never postmortem data, and does nothing
 * when every postmortem is published (`validate` then reads no profiles at all).
 */
import { compareDiagnostics, quote, type Diagnostic } from '../format/diagnostics.ts';
import { RULES } from '../format/rules.ts';
import type { PackedTerms, Profiled } from '../knowledge-base/index.ts';
import { termNumbers } from '../search/terms.ts';
import { similarIncidents, type NumberedTerms, type SimilarityInput } from './linking.ts';

/**
 * A `possible-recurrence` warning, at its `causes:` key, for each earlier published incident
 * (up to three, the most similar first) that an unpublished postmortem reads like. The weights
 * are those of every postmortem without errors, as the site will weigh them once these are
 * published.
 */
export function possibleRecurrences(profiles: readonly Profiled[]): Diagnostic[] {
  if (!profiles.some((p) => p.status !== 'published' && p.causesAt)) return [];
  const ordered = [...profiles].sort((a, b) => compare(a.start, b.start) || compare(a.id, b.id));
  // Explicit links count on both ends, as on the site.
  const related = new Map<string, Set<string>>();
  const link = (from: string, to: string) => (related.get(from) ?? related.set(from, new Set()).get(from)!).add(to);
  for (const p of ordered) for (const id of p.related) if (id !== p.id) (link(p.id, id), link(id, p.id));
  // Terms are numbered from their hashes (see `packTerms`), which `about` is never read for.
  const inputs: SimilarityInput[] = ordered.map((p) => ({ id: p.id, about: ['', []], related: [...(related.get(p.id) ?? [])] }));
  const drafts = ordered.flatMap((p, i) => (p.status !== 'published' && p.causesAt ? [i] : []));
  const similar = similarIncidents(inputs, {
    numbered: numberPacked(ordered.map((p) => p.about)),
    only: drafts,
    // Earlier published incidents whose causes it shares none of.
    accept: (i, j) => {
      const [draft, earlier] = [ordered[i]!, ordered[j]!];
      return earlier.status === 'published' && earlier.start < draft.start && !earlier.causes.some((cause) => draft.causes.includes(cause));
    },
  });
  const byId = new Map(ordered.map((p) => [p.id, p]));
  const found: Diagnostic[] = [];
  for (const i of drafts) {
    const draft = ordered[i]!;
    for (const [id] of similar.get(draft.id) ?? []) {
      const causes = byId.get(id)!.causes;
      found.push({
        file: draft.file,
        line: draft.causesAt!.line,
        column: draft.causesAt!.column,
        severity: RULES['possible-recurrence'].severity,
        rule: 'possible-recurrence',
        message: `Reads like ${quote(id)} (${causes.length === 1 ? 'cause' : 'causes'} ${causes.map((cause) => quote(cause)).join(', ')}); add the cause that fits, or list it in \`related\`.`,
      });
    }
  }
  return found;
}

/**
 * Packed terms numbered as `similarIncidents` numbers terms, in order of first use (keyed here
 * by each term's four-character hash): the same hash, the same number; each number's count is
 * its document frequency.
 */
export function numberPacked(abouts: readonly PackedTerms[]): NumberedTerms {
  const numbers = termNumbers();
  const documents = abouts.map(([hashes, packed]) => {
    const terms = new Int32Array(packed.length);
    const counts = new Uint16Array(packed.length);
    for (let k = 0; k < packed.length; k++) {
      terms[k] = numbers.count(hashes.slice(4 * k, 4 * k + 4));
      counts[k] = packed.charCodeAt(k);
    }
    return { terms, counts };
  });
  return { documents, df: numbers.counts };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
