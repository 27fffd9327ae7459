/**
 * The search index of the published site: a serialized lunr index over title, summary,
 * causes, services, tags and every section's text, plus the rows a result shows.
 */
import lunr from 'lunr';
import type { Catalog } from './catalog.ts';
import type { Postmortem } from './postmortem.ts';
import { FIELDS, indexable } from './search-query.ts';
import { day } from './format.ts';

/** What a search result shows, and the text its snippet is cut from. */
export interface SearchDocument {
  id: string;
  title: string;
  date: string;
  /** The date as the site writes it (`19 Nov 2014`). */
  when: string;
  severity: string;
  trigger: string;
  causes: string[];
  services: string[];
  summary: string;
  /** Every section's plain text, for snippets. */
  text: string;
}

export interface SearchData {
  index: object;
  documents: SearchDocument[];
}

export function buildSearchData(postmortems: readonly Postmortem[], catalog: Catalog): SearchData {
  const documents = postmortems.map(
    (p): SearchDocument => ({
      id: p.id,
      title: p.data.title,
      date: p.data.date,
      when: day(p.data.date),
      severity: p.data.severity,
      trigger: p.data.trigger,
      causes: p.data.causes,
      services: p.data.blast_radius.services,
      summary: p.data.summary,
      text: p.sections.map((section) => `${section.title}\n${section.text}`).join('\n\n'),
    }),
  );
  const index = lunr(function () {
    this.ref('id');
    for (const [field, boost] of Object.entries(FIELDS)) this.field(field, { boost });
    for (const p of postmortems) {
      const causes = p.data.causes.map((id) => `${id} ${catalog.causes?.get(id)?.title ?? ''}`);
      const services = p.data.blast_radius.services.map((id) => `${id} ${catalog.services?.get(id)?.name ?? ''}`);
      this.add({
        id: p.id,
        title: indexable(p.data.title),
        summary: indexable(p.data.summary),
        causes: indexable(causes.join(' ')),
        services: indexable(services.join(' ')),
        tags: indexable((p.data.tags ?? []).join(' ')),
        body: indexable(p.sections.map((section) => section.text).join(' ')),
      });
    }
  });
  return { index: index.toJSON(), documents };
}
