/**
 * Parsing one postmortem: text in, data and diagnostics out. Pure: no file system, no clock.
 * Every problem of the file is collected; cross-file rules (unique ids, `related`, links to the
 * site's pages) are the knowledge base's job (see ../knowledge-base/index.ts).
 */
import { createHash } from 'node:crypto';
import type { FrontMatter } from '../../schemas/frontmatter.ts';
import { ID_PATTERN, isCalendarDate } from '../../schemas/common.ts';
import { isTimeZone } from '../../schemas/timezone.ts';
import type { Catalog } from './vocabulary.ts';
import { idOf, slug } from './ids.ts';
import { Diagnostics, hasErrors, quote, type Diagnostic, type Position } from './diagnostics.ts';
import { checkFields, expectation, fieldName } from './fields.ts';
import { splitFrontMatter } from './frontmatter.ts';
import { parseMarkdown } from './markdown.ts';
import type { PageLink } from './page-links.ts';
import { parseRemediation, type DoneDate, type RemediationItem } from './remediation.ts';
import { renderInlines, renderNodes } from './render.ts';
import { checkBody, hasContent, listsOf, PLACEHOLDER, sectionKey, splitSections, type ParsedSection, type Section } from './sections.ts';
import { durations, parseTimeline, type Durations, type TimelineEntry } from './timeline.ts';
import { parseYaml, type YamlResult } from './yaml.ts';

export interface Postmortem {
  id: string;
  /** Path relative to the working directory. */
  file: string;
  data: FrontMatter;
  sections: Section[];
  timeline: TimelineEntry[];
  remediation: RemediationItem[];
  durations: Durations;
  /** Hash of the text it was parsed from: the same text (catalogue and code alike) gives the same postmortem. */
  digest: string;
}

export interface ParseResult {
  id: string;
  file: string;
  /** Present when the file has no error (warnings allowed). */
  postmortem?: Postmortem;
  /** `related` ids as written, with their positions, for the cross-file check. */
  related: { id: string; at: Position }[];
  /** Links in the body to the site's pages of incidents, causes and services, for the cross-file check (rule link-unknown). */
  pageLinks: PageLink[];
  /** `done:` dates of remediation items, with their positions, for the check against the build date (rule remediation-done). */
  doneDates: DoneDate[];
  /** Of a postmortem not yet published: where its `causes:` key is, for the cross-file check (rule possible-recurrence). */
  causesAt?: Position;
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /**
   * Also prepare what the site needs: sections, timeline entries and remediation items as
   * HTML.
   */
  html?: boolean;
}

export function parsePostmortem(input: string, file: string, catalog: Catalog, { html = false }: ParseOptions = {}): ParseResult {
  const id = idOf(file);
  const diagnostics = new Diagnostics(file);
  const result: ParseResult = { id, file, related: [], pageLinks: [], doneDates: [], diagnostics: diagnostics.list };

  if (!ID_PATTERN.test(id) || !file.endsWith('.md')) {
    diagnostics.report('id-format', { line: 1, column: 1 }, `File name ${quote(file.replace(/^.*\//, ''))} is not a valid postmortem id; rename it to lowercase letters, digits and single hyphens ending in \`.md\`, like \`${slug(id)}.md\`.`);
  }
  if (input.includes('\u0000')) {
    const index = input.indexOf('\u0000');
    const before = input.slice(0, index).split('\n');
    diagnostics.report('file-encoding', { line: before.length, column: before[before.length - 1]!.length + 1 }, 'The file is not UTF-8 text (it has NUL bytes); save it as UTF-8.');
    return result;
  }
  // Windows line endings become \n: lines and columns stay the same, and no value keeps a stray \r.
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');

  // Front matter
  const split = splitFrontMatter(text, diagnostics);
  let yaml: YamlResult | undefined;
  let raw: Record<string, unknown> | undefined;
  if (split.yaml !== undefined) {
    yaml = parseYaml(split.yaml, 2, diagnostics);
    const value = yaml.value ?? (hasErrors(diagnostics.list) ? undefined : {});
    if (value !== undefined) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        diagnostics.report('frontmatter-type', { line: 2, column: 1 }, 'Front matter must be a mapping of fields (`title: …`, `date: …`), not a single value or a list.');
      } else {
        raw = value as Record<string, unknown>;
      }
    }
  }
  // Drafts are checked leniently from here on: missing and unfinished parts become warnings.
  diagnostics.lenient = raw?.status === 'draft';
  diagnostics.published = raw?.status === 'published';

  let data: FrontMatter | undefined;
  if (raw && yaml) {
    data = checkFrontMatter(raw, yaml, catalog, diagnostics);
    for (const [index, related] of (Array.isArray(raw.related) ? raw.related : []).entries()) {
      if (typeof related === 'string') result.related.push({ id: related, at: yaml.locate(['related', index], 'value') });
    }
    if (raw.status !== 'published' && raw.causes !== undefined) result.causesAt = yaml.locate(['causes'], 'key');
  }

  // Body: none to check when the front matter never ends.
  let sections: ParsedSection[] = [];
  let timeline: TimelineEntry[] = [];
  let remediation: RemediationItem[] = [];
  if (split.body !== undefined) {
    const body = split.body;
    const tree = parseMarkdown(body);
    sections = splitSections(tree, body, diagnostics, { line: split.bodyLine, column: 1 });
    result.pageLinks = checkBody(tree, diagnostics);

    const section = (name: string) => sections.find((s) => s.key === sectionKey(name));
    const timelineSection = section('Timeline');
    // An invalid zone is reported on its field; the timeline is then read in the default zone.
    const zone = typeof raw?.timezone === 'string' && isTimeZone(raw.timezone) ? raw.timezone : catalog.settings.timezone;
    if (timelineSection && hasContent(timelineSection)) {
      const parsed = parseTimeline(listsOf(timelineSection), { zone, body }, diagnostics, timelineSection.at);
      timeline = parsed.entries;
      // Only when every item could be read: an unreadable item may hold the marker.
      for (const marker of parsed.complete ? (['start', 'resolved'] as const) : []) {
        if (!timeline.some((entry) => entry.marker === marker)) {
          diagnostics.reportForPublishing('marker-required', timelineSection.at, `A published postmortem's timeline needs a \`[${marker}]\` entry: \`- YYYY-MM-DD HH:MM UTC — [${marker}] …\`.`);
        }
      }
    }
    const remediationSection = section('Remediation');
    if (remediationSection && hasContent(remediationSection)) {
      const date = typeof raw?.date === 'string' && isCalendarDate(raw.date) ? raw.date : undefined;
      const severity = typeof raw?.severity === 'string' ? raw.severity : undefined;
      const deadline = severity === undefined ? undefined : catalog.settings.action_deadlines?.[severity];
      remediation = parseRemediation(listsOf(remediationSection), body, diagnostics, remediationSection.at, { date, severity, deadline }, result.doneDates);
    }
  }

  // Rules across front matter and body
  const start = timeline.find((entry) => entry.marker === 'start');
  if (start && typeof raw?.date === 'string' && isCalendarDate(raw.date) && yaml && start.time.slice(0, 10) !== raw.date) {
    diagnostics.report('date-mismatch', yaml.locate(['date'], 'value'), `\`date\` is ${raw.date}, but impact started on ${start.time.slice(0, 10)} (UTC) according to the \`[start]\` entry on line ${start.at.line}; \`date\` is the UTC day the impact started.`);
  }

  if (data && !hasErrors(diagnostics.list)) {
    if (html) {
      for (const section of sections) section.html = renderNodes(section.nodes);
      const inline = renderInlines([...timeline, ...remediation].map((entry) => entry.text));
      [...timeline, ...remediation].forEach((entry, i) => (entry.html = inline[i]));
    }
    const kept = sections.map(({ nodes: _, markdown, html, ...section }): Section => (html === undefined ? { ...section, markdown } : { ...section, html }));
    const digest = createHash('sha1').update(input).digest('base64url');
    const postmortem: Postmortem = { id, file, digest, data, sections: kept, timeline, remediation, durations: durations(timeline) };
    result.postmortem = postmortem;
  }
  return result;
}

function checkFrontMatter(raw: Record<string, unknown>, yaml: YamlResult, catalog: Catalog, diagnostics: Diagnostics): FrontMatter | undefined {
  // Placeholders first: a field still saying TODO is reported once, as unfinished, with what it expects.
  const placeholders: (readonly PropertyKey[])[] = [];
  const findPlaceholders = (value: unknown, path: PropertyKey[]) => {
    if (typeof value === 'string' && PLACEHOLDER.test(value)) placeholders.push(path);
    else if (Array.isArray(value)) value.forEach((v, i) => findPlaceholders(v, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) findPlaceholders(v, [...path, k]);
  };
  findPlaceholders(raw, []);
  for (const path of placeholders) {
    const expected = expectation(catalog.frontMatter, path) ?? expectation(catalog.frontMatter, path.slice(0, -1));
    diagnostics.report('placeholder', yaml.locate(path, 'value'), `\`${fieldName(path)}\` is still a placeholder; expected ${expected ?? 'a real value'}`.replace(/([^.])$/, '$1.'));
  }
  const isPlaceholder = (path: readonly PropertyKey[]) => placeholders.some((p) => p.length <= path.length && p.every((s, i) => s === path[i]));

  if (raw.authors === undefined) {
    diagnostics.reportForPublishing('field-required', { line: 1, column: 1 }, 'Missing field `authors`: a published postmortem names who wrote it, as a list.');
  }
  return checkFields(catalog.frontMatter, raw, yaml, diagnostics, {
    skip: isPlaceholder,
    topLevel: { line: 1, column: 1 },
    vocabularies: {
      causes: { rule: 'cause-unknown', noun: 'cause', where: 'causes.yml' },
      'blast_radius.services': { rule: 'service-unknown', noun: 'service', where: 'services.yml' },
    },
  });
}
