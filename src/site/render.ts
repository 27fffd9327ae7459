/**
 * HTML of postmortem Markdown on the site's pages. The loader renders it while parsing (see
 * ../format/render.ts), and the parse cache keeps it whatever the base; a knowledge base loaded
 * without it is rendered here instead. Either way, its root-relative links (`/incidents/<id>/`)
 * are put under the site's base here, as the page is made (see base.ts).
 */
import { renderInline, renderMarkdown } from '../format/render.ts';
import type { Section } from '../format/sections.ts';
import { rebaseHtml } from './base.ts';

/** A section's content, with its links under `base`. */
export const sectionHtml = (section: Section, base: string) => rebaseHtml(section.html !== undefined ? section.html : renderMarkdown(section.markdown), base);

/** What the Timeline holds besides its entries (see Section.notes), with its links under `base`. */
export const notesHtml = (section: Section, base: string) => (section.notes === undefined ? undefined : rebaseHtml(section.notes, base));

/** A timeline entry or remediation item, with its links under `base`. */
export const inlineHtml = (entry: { text: string; html?: string }, base: string) => rebaseHtml(entry.html ?? renderInline(entry.text), base);
