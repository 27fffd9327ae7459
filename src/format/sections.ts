/**
 * Splitting a postmortem body into its `##` sections and checking the section rules:
 * the four required sections present, not empty and not repeated; no raw HTML; no placeholders.
 */
import type { Definition, Heading, Html, Image, Link, List, Nodes, Root, RootContent, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type {} from 'mdast-util-directive';
import { visit } from 'unist-util-visit';
import { quote, type Diagnostics, type Position } from './diagnostics.ts';
import { pageOf, type PageLink } from './page-links.ts';

export const REQUIRED_SECTIONS = ['Timeline', 'Root cause', 'Blast radius', 'Remediation'] as const;
export type RequiredSection = (typeof REQUIRED_SECTIONS)[number];

interface SectionBase {
  /** The heading as written. */
  title: string;
  /** Lowercased, whitespace-collapsed title: what headings are matched on. */
  key: string;
  /** Position of the `##` heading. */
  at: Position;
  /** Plain text of the section, for search and similarity. */
  text: string;
  /**
   * Of the Timeline, when rendered: what it holds besides its list of entries (an introduction,
   * notes, an internal block of prose), as HTML; the site shows it above the drawn timeline.
   */
  notes?: string;
}

/**
 * A section as the data keeps it: its Markdown source (heading excluded), or, when the parse
 * was asked for HTML (the site always is), the sanitized HTML only: a site of ten thousand
 * postmortems would otherwise hold every section twice.
 */
export type Section = SectionBase & ({ markdown: string; html?: undefined } | { html: string; markdown?: undefined });

/** A section while parsing: with its source and its Markdown nodes, which are not kept in the data. */
export interface ParsedSection extends SectionBase {
  markdown: string;
  html?: string;
  nodes: RootContent[];
}

export const sectionKey = (title: string) => title.trim().replace(/\s+/g, ' ').toLowerCase();
const pos = (node: { position?: { start: { line: number; column: number } } }): Position => ({
  line: node.position?.start.line ?? 1,
  column: node.position?.start.column ?? 1,
});

export function splitSections(tree: Root, body: string, diagnostics: Diagnostics, bodyStart: Position): ParsedSection[] {
  const sections: ParsedSection[] = [];
  let current: ParsedSection | undefined;
  for (const node of tree.children) {
    if (node.type === 'heading' && node.depth === 2) {
      const title = toString(node);
      current = { title, key: sectionKey(title), at: pos(node), markdown: '', text: '', nodes: [] };
      sections.push(current);
    } else if (current) {
      current.nodes.push(node);
    }
  }
  for (const section of sections) {
    const first = section.nodes[0];
    const last = section.nodes[section.nodes.length - 1];
    if (first?.position && last?.position) {
      section.markdown = body.slice(first.position.start.offset, last.position.end.offset);
    }
    section.text = section.nodes.map(plainText).join('\n\n');
  }

  const seen = new Map<string, ParsedSection>();
  for (const section of sections) {
    const earlier = seen.get(section.key);
    if (earlier) {
      diagnostics.report('section-duplicate', section.at, `Section ${quote(section.title)} already appears on line ${earlier.at.line}; merge the two.`);
    } else {
      seen.set(section.key, section);
    }
  }

  for (const name of REQUIRED_SECTIONS) {
    const section = seen.get(sectionKey(name));
    if (!section) {
      const elsewhere = findHeading(tree, name);
      if (elsewhere) {
        diagnostics.report('section-missing', pos(elsewhere), `Missing \`## ${name}\` section: this heading is level ${elsewhere.depth}; sections are level-2 headings (\`##\`).`);
      } else {
        diagnostics.report('section-missing', bodyStart, `Missing required section \`## ${name}\`.`);
      }
    } else if (!hasContent(section)) {
      diagnostics.report('section-empty', section.at, `Section \`## ${name}\` is empty; ${EMPTY_HINTS[name]}`);
    }
  }
  return sections;
}

/** A section has content when it holds more than HTML comments. */
export const hasContent = (section: ParsedSection | undefined) =>
  section?.nodes.some((node) => !(node.type === 'html' && node.value.trimStart().startsWith('<!--'))) ?? false;

const EMPTY_HINTS: Record<RequiredSection, string> = {
  Timeline: 'list what happened, one `- YYYY-MM-DD HH:MM UTC — text` item per event.',
  'Root cause': 'explain why the incident happened, beyond the trigger.',
  'Blast radius': 'describe who and what was affected, and how much.',
  Remediation: 'list the follow-up actions as `- [ ] action (owner: team, due: YYYY-MM-DD)`.',
};

function findHeading(tree: Root, name: string): Heading | undefined {
  let found: Heading | undefined;
  visit(tree, 'heading', (heading) => {
    if (!found && heading.depth !== 2 && sectionKey(toString(heading)) === sectionKey(name)) found = heading;
  });
  return found;
}

/** The top-level lists of a section. */
/** The section's lists, those in internal blocks (see internal-parts.ts) among them. */
export const listsOf = (section: ParsedSection | undefined): List[] => (section?.nodes ?? []).flatMap(listsIn);
const listsIn = (node: RootContent): List[] => (node.type === 'list' ? [node] : node.type === 'containerDirective' && node.name === 'internal' ? node.children.flatMap(listsIn) : []);

/**
 * The rules on what the body's text holds, in one walk of the tree, in document order:
 * - raw HTML is refused where it is written: the site renders Markdown without it, so it would
 *   silently vanish (and it is the way scripts would get in); HTML comments are allowed;
 * - links and images may use only schemes the site keeps;
 * - `TODO` must not be left in the text (code is exempt: a quoted log line may say TODO).
 * On the way it collects the links to the site's pages of incidents, causes and services, which
 * it returns for the check across files (see page-links.ts).
 */
export function checkBody(tree: Root, diagnostics: Diagnostics): PageLink[] {
  const pageLinks: PageLink[] = [];
  const walk = (node: Nodes): void => {
    switch (node.type) {
      case 'html':
        checkHtml(node, diagnostics);
        return;
      case 'text':
        checkPlaceholder(node, diagnostics);
        return;
      case 'link':
      case 'definition': {
        const page = pageOf(node.url);
        if (page) pageLinks.push({ ...page, url: node.url, at: pos(node) });
        checkLink(node, diagnostics);
        break;
      }
      case 'image':
        checkLink(node, diagnostics);
    }
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  return pageLinks;
}

function checkHtml(node: Html, diagnostics: Diagnostics): void {
  if (node.value.trimStart().startsWith('<!--')) return;
  diagnostics.report('html-raw', pos(node), `Raw HTML ${quote(node.value.trim(), 40)} is not allowed; use Markdown instead (HTML is removed from the site).`);
}

/** Schemes a link may use on the site; anything else (`javascript:`, `data:`, `vbscript:`) is dropped. */
const SAFE_SCHEME = /^(?:https?|mailto):/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function checkLink(node: Link | Image | Definition, diagnostics: Diagnostics): void {
  // Browsers ignore tabs, newlines and leading control characters in a scheme.
  const url = node.url.replace(/[\u0000-\u0020]/g, '');
  if (!HAS_SCHEME.test(url) || SAFE_SCHEME.test(url)) return;
  const what = node.type === 'image' ? 'Image' : 'Link';
  diagnostics.report('link-unsafe', pos(node), `${what} ${quote(node.url, 40)} will be removed from the site: only http(s), mailto and relative addresses are kept.`);
}

export const PLACEHOLDER = /\bTODO\b/;

function checkPlaceholder(node: Text, diagnostics: Diagnostics): void {
  const match = PLACEHOLDER.exec(node.value);
  if (!match || !node.position) return;
  const before = node.value.slice(0, match.index);
  const lines = before.split('\n');
  const line = node.position.start.line + lines.length - 1;
  const column = lines.length === 1 ? node.position.start.column + before.length : lines[lines.length - 1]!.length + 1;
  const around = node.value.slice(Math.max(0, match.index - 20)).trim();
  diagnostics.report('placeholder', { line, column }, `Placeholder \`TODO\` left in the text: ${quote(match.index > 20 ? `…${around}` : around, 50)}; write the real content.`);
}

/** Plain text of a block, with its paragraphs, list items and table cells kept apart. */
function plainText(node: RootContent): string {
  const separator = BLOCK_SEPARATORS[node.type];
  if (separator !== undefined && 'children' in node) return (node.children as RootContent[]).map(plainText).join(separator);
  return toString(node);
}
const BLOCK_SEPARATORS: Partial<Record<RootContent['type'], string>> = { list: '\n', listItem: '\n', blockquote: '\n\n', containerDirective: '\n\n', table: '\n', tableRow: ' | ' };

