/**
 * HTML of postmortem Markdown on the site's pages. The loader renders it while parsing (see
 * ../render.ts); a knowledge base loaded without it is rendered here instead.
 */
import { renderInline, renderMarkdown } from '../format/render.ts';
import type { Section } from '../format/sections.ts';

export const sectionHtml = (section: Section) => (section.html !== undefined ? section.html : renderMarkdown(section.markdown));

/** A timeline entry or remediation item. */
export const inlineHtml = (entry: { text: string; html?: string }) => entry.html ?? renderInline(entry.text);
