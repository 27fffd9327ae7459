/**
 * Parsing one postmortem: text in, data and diagnostics out. Pure: no file system, no clock.
 * Every problem of the file is collected; cross-file rules (unique ids, `related`, links to the
 * site's pages) are the knowledge base's job (see ../knowledge-base/index.ts).
 */
import { createHash } from 'node:crypto';
import type { FrontMatter } from '../../schemas/frontmatter.ts';
import { INTERNAL_FIELDS, VISIBILITIES, type InternalField, type Visibility } from '../../schemas/visibility.ts';
import { ID_PATTERN, isCalendarDate } from '../../schemas/common.ts';
import { isTimeZone } from '../../schemas/timezone.ts';
import type { Catalog } from './vocabulary.ts';
import { idOf, slug } from './ids.ts';
import { Diagnostics, hasErrors, quote, type Diagnostic, type Position } from './diagnostics.ts';
import { checkFields, expectation, fieldName } from './fields.ts';
import { splitFrontMatter } from './frontmatter.ts';
import { applyEdits, deletions, findInternalParts, inBlock, type Edit, type InternalPart } from './internal-parts.ts';
import { INTERNAL_DIRECTIVE, parseMarkdown } from './markdown.ts';
import { checkRedaction, internalNames, type PublicText } from './redaction.ts';
import type { PageLink } from './page-links.ts';
import { parseRemediation, type Details, type DoneDate, type RemediationItem } from './remediation.ts';
import { renderInlines, renderNodes } from './render.ts';
import { checkBody, hasContent, listsOf, PLACEHOLDER, sectionKey, splitSections, type ParsedSection, type Section } from './sections.ts';
import { durations, entryPrefix, parseTimeline, type Durations, type TimelineEntry } from './timeline.ts';
import { location } from 'vfile-location';
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
  /** Who it is for: its `visibility`, else hindsight.yml's. */
  visibility: Visibility;
  /**
   * Of a public postmortem: its public version, when it differs (internal parts, or values of
   * internal fields, left out): what the public site shows. Its own `public` is unset.
   */
  public?: Postmortem;
  /** Of a public postmortem: what its public version leaves out of the body, where it is written (see `hindsight public-diff`). */
  leftOut?: LeftOut[];
}

/** A part of the body the public version leaves out: an internal part, or details of a remediation item. */
export interface LeftOut {
  at: Position;
  kind: 'block' | 'inline' | 'details';
  /** The text as written (for details, the pairs left out). */
  text: string;
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
  /** Who the postmortem is for, when its front matter could be read. */
  visibility?: Visibility;
  diagnostics: Diagnostic[];
  /** Of a public postmortem: the redaction check's warnings (see redaction.ts), reported when it is checked for the public. */
  redactions?: Diagnostic[];
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
    data = checkFrontMatter(raw, yaml, catalog, diagnostics, text);
    for (const [index, related] of (Array.isArray(raw.related) ? raw.related : []).entries()) {
      if (typeof related === 'string') result.related.push({ id: related, at: yaml.locate(['related', index], 'value') });
    }
    if (raw.status !== 'published' && raw.causes !== undefined) result.causesAt = yaml.locate(['causes'], 'key');
  }

  // Body: none to check when the front matter never ends.
  const visibility: Visibility = typeof raw?.visibility === 'string' && (VISIBILITIES as readonly string[]).includes(raw.visibility) ? (raw.visibility as Visibility) : catalog.settings.visibility ?? 'internal';
  if (raw) result.visibility = visibility;
  const body = split.body === undefined ? undefined : parseBody(split.body, split.bodyLine, raw, catalog, diagnostics);
  if (body) {
    result.pageLinks = body.pageLinks;
    result.doneDates = body.doneDates;
    if (body.parts.length > 0 && visibility === 'internal') {
      const n = body.parts.length;
      diagnostics.report('internal-pointless', body.parts[0]!.at, `This postmortem is internal (\`visibility: internal\`${raw?.visibility === undefined ? ', the default of hindsight.yml' : ''}), so its ${n === 1 ? 'internal part marks' : `${n} internal parts mark`} nothing; remove the \`:internal\` marks, or make it \`visibility: public\`.`);
    }
  }
  crossCheck(body?.timeline ?? [], raw, yaml, diagnostics);

  if (data && body && !hasErrors(diagnostics.list)) {
    const digest = createHash('sha1').update(input).digest('base64url');
    const postmortem: Postmortem = { id, file, digest, visibility, ...finish(body, html), data };
    if (visibility === 'public') {
      const hidden = new Set<InternalField>([...(catalog.settings.internal_fields ?? []), ...(data.internal_fields ?? [])]);
      const version = publicVersion({ id, file, text, body: split.body!, bodyLine: split.bodyLine, parsed: body, data, raw: raw!, yaml: yaml!, catalog, diagnostics, hidden, html });
      if (version) {
        if (version.postmortem) postmortem.public = version.postmortem;
        if (version.leftOut.length > 0) postmortem.leftOut = version.leftOut;
        result.redactions = version.redactions;
      }
    }
    result.postmortem = postmortem;
  }
  return result;
}

interface ParsedBody {
  tree: ReturnType<typeof parseMarkdown>;
  sections: ParsedSection[];
  timeline: TimelineEntry[];
  remediation: RemediationItem[];
  pageLinks: PageLink[];
  doneDates: DoneDate[];
  details: Details[];
  parts: InternalPart[];
}

/** The body's sections, timeline and remediation, with their rules; the internal parts and where they are. */
function parseBody(body: string, bodyLine: number, raw: Record<string, unknown> | undefined, catalog: Catalog, diagnostics: Diagnostics, hidden: ReadonlySet<string> = new Set()): ParsedBody {
  const tree = parseMarkdown(body);
  const sections = splitSections(tree, body, diagnostics, { line: bodyLine, column: 1 });
  const pageLinks = checkBody(tree, diagnostics);
  const parts = INTERNAL_DIRECTIVE.test(body) ? findInternalParts(tree, body, diagnostics) : [];
  const doneDates: DoneDate[] = [];
  const details: Details[] = [];
  let timeline: TimelineEntry[] = [];
  let remediation: RemediationItem[] = [];

  const section = (name: string) => sections.find((s) => s.key === sectionKey(name));
  const timelineSection = section('Timeline');
  // An invalid zone is reported on its field; the timeline is then read in the default zone.
  const zone = typeof raw?.timezone === 'string' && isTimeZone(raw.timezone) ? raw.timezone : catalog.settings.timezone;
  if (timelineSection && hasContent(timelineSection)) {
    const lists = listsOf(timelineSection);
    const parsed = parseTimeline(lists, { zone, body }, diagnostics, timelineSection.at);
    timeline = parsed.entries;
    // Only when every item could be read: an unreadable item may hold the marker.
    for (const marker of parsed.complete ? (['start', 'resolved'] as const) : []) {
      if (!timeline.some((entry) => entry.marker === marker)) {
        diagnostics.reportForPublishing('marker-required', timelineSection.at, `A published postmortem's timeline needs a \`[${marker}]\` entry: \`- YYYY-MM-DD HH:MM UTC — [${marker}] …\`.`);
      }
    }
    // An inline internal part may not hide the timestamp or marker that the public version needs.
    for (const item of lists.flatMap((list) => list.children)) {
      const paragraph = item.children[0];
      if (paragraph?.type !== 'paragraph' || !paragraph.position) continue;
      const from = paragraph.position.start.offset!;
      const prefix = entryPrefix(body.slice(from, paragraph.position.end.offset));
      const textStart = from + prefix.timestamp;
      for (const part of parts) {
        if (part.kind !== 'inline') continue;
        // Within the timestamp or marker, or where the marker goes when it holds one (`:internal[[start]]`).
        const hides = part.start < Math.max(from + 1, textStart + prefix.marker) || (part.start === textStart && /^\[[A-Za-z]+\]/.test(body.slice(part.contentStart, part.contentEnd)));
        if (hides && part.start >= from) {
          diagnostics.report('internal-timestamp', part.at, 'An internal part stands in this timeline item\'s timestamp or marker, which the public version then cannot read; mark only the text after them internal, or the whole item with a `:::internal` block.');
        }
      }
    }
  }
  const remediationSection = section('Remediation');
  if (remediationSection && hasContent(remediationSection)) {
    const date = typeof raw?.date === 'string' && isCalendarDate(raw.date) ? raw.date : undefined;
    const severity = typeof raw?.severity === 'string' ? raw.severity : undefined;
    const deadline = severity === undefined ? undefined : catalog.settings.action_deadlines?.[severity];
    remediation = parseRemediation(listsOf(remediationSection), body, diagnostics, remediationSection.at, { date, severity, deadline, hidden: [...hidden], details }, doneDates);
  }
  // What stands in a block is internal, and marked so on the internal site; so are links in any part.
  if (parts.length > 0) {
    const offsets = location(body);
    const offsetOf = (at: Position) => offsets.toOffset(at) ?? 0;
    for (const entry of [...timeline, ...remediation]) if (inBlock(parts, offsetOf(entry.at))) entry.internal = true;
    for (const link of pageLinks) {
      const offset = offsetOf(link.at);
      if (parts.some((p) => offset >= p.start && offset < p.end)) link.internal = true;
    }
  }
  return { tree, sections, timeline, remediation, pageLinks, doneDates, details, parts };
}

/** `date` is the UTC day of the `[start]` entry. */
function crossCheck(timeline: readonly TimelineEntry[], raw: Record<string, unknown> | undefined, yaml: YamlResult | undefined, diagnostics: Diagnostics): void {
  const start = timeline.find((entry) => entry.marker === 'start');
  if (start && typeof raw?.date === 'string' && isCalendarDate(raw.date) && yaml && start.time.slice(0, 10) !== raw.date) {
    diagnostics.report('date-mismatch', yaml.locate(['date'], 'value'), `\`date\` is ${raw.date}, but impact started on ${start.time.slice(0, 10)} (UTC) according to the \`[start]\` entry on line ${start.at.line}; \`date\` is the UTC day the impact started.`);
  }
}

/** What the data keeps of a parsed body: sections without their nodes, HTML when asked for. */
function finish(body: ParsedBody, html: boolean): Pick<Postmortem, 'sections' | 'timeline' | 'remediation' | 'durations'> {
  const { sections, timeline, remediation } = body;
  if (html) {
    for (const section of sections) {
      section.html = renderNodes(section.nodes);
      // The timeline's entries are drawn from the items; what else it holds is shown as written.
      if (section.key === 'timeline') {
        const notes = section.nodes.filter((node) => node.type !== 'list' && !(node.type === 'containerDirective' && node.children.every((child) => child.type === 'list')));
        if (notes.length > 0) section.notes = renderNodes(notes);
      }
    }
    const inline = renderInlines([...timeline, ...remediation].map((entry) => entry.text));
    [...timeline, ...remediation].forEach((entry, i) => (entry.html = inline[i]));
  }
  const kept = sections.map(({ nodes: _, markdown, html, ...section }): Section => (html === undefined ? { ...section, markdown } : { ...section, html }));
  return { sections: kept, timeline, remediation, durations: durations(timeline) };
}

interface PublicInput {
  id: string;
  file: string;
  /** The whole file, line endings normalised. */
  text: string;
  body: string;
  bodyLine: number;
  parsed: ParsedBody;
  data: FrontMatter;
  raw: Record<string, unknown>;
  yaml: YamlResult;
  catalog: Catalog;
  diagnostics: Diagnostics;
  hidden: ReadonlySet<InternalField>;
  html: boolean;
}

/**
 * The public version of a public postmortem: its body with the internal parts deleted (see
 * internal-parts.ts) and the hidden remediation details (`owner`, `ticket`) taken out of each
 * item, parsed again, and its front matter without the values of internal fields. What only the
 * public version gets wrong (a required section left empty, a `[start]` entry that was
 * internal) is reported on the postmortem, at the place in the file; so is the redaction check,
 * kept apart for `--audience public`. No version when the postmortem has errors of its own.
 */
function publicVersion(input: PublicInput): { postmortem?: Postmortem; redactions: Diagnostic[]; leftOut: LeftOut[] } | undefined {
  const { body, parsed, data, raw, yaml, catalog, diagnostics, hidden } = input;
  if (diagnostics.list.some((d) => d.rule === 'internal-fence' || d.rule === 'internal-timestamp')) return undefined;
  const edits: Edit[] = deletions(body, parsed.parts);
  const original = location(body);
  const leftOut: LeftOut[] = parsed.parts.map((part) => ({ at: part.at, kind: part.kind, text: body.slice(part.contentStart, part.contentEnd) }));
  const hiddenKeys = [...hidden].filter((f) => f.startsWith('remediation.')).map((f) => f.slice('remediation.'.length));
  for (const details of parsed.details) {
    if (inBlock(parsed.parts, details.start)) continue;
    const kept = details.pairs.filter((pair) => !hiddenKeys.includes(pair.key));
    if (kept.length === details.pairs.length) continue;
    edits.push({ start: details.start, end: details.end, insert: kept.length === 0 ? '' : ` (${kept.map((pair) => body.slice(pair.start, pair.end)).join(', ')})` });
    const dropped = details.pairs.filter((pair) => hiddenKeys.includes(pair.key));
    leftOut.push({ at: original.toPoint(dropped[0]!.start) ?? { line: 1, column: 1 }, kind: 'details', text: dropped.map((pair) => body.slice(pair.start, pair.end)).join(', ') });
  }
  leftOut.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
  const stripped = withoutFields(data, hidden);
  const names = internalNames({
    ...Object.fromEntries([...hidden].filter((f) => !f.startsWith('remediation.')).map((f) => [f, valueAt(data, f)])),
    'remediation.owner': hidden.has('remediation.owner') ? parsed.remediation.flatMap((r) => r.owner ?? []) : [],
    'remediation.ticket': hidden.has('remediation.ticket') ? parsed.remediation.flatMap((r) => (r.ticket && !/^https?:/i.test(r.ticket) ? [r.ticket] : [])) : [],
  });

  const { text: publicBody, toOriginal } = applyEdits(body, edits);
  const mapped = location(publicBody);
  const back = (at: Position): Position => {
    const offset = mapped.toOffset(at);
    return offset === undefined ? at : original.toPoint(toOriginal(offset)) ?? at;
  };

  // The public version parsed as its own text, its problems brought back to the file's places.
  const own = new Diagnostics(input.file);
  own.lenient = diagnostics.lenient;
  own.published = diagnostics.published;
  const version = edits.length > 0 ? parseBody(publicBody, input.bodyLine, raw, catalog, own, hidden) : parsed;
  if (version !== parsed) crossCheck(version.timeline, raw, yaml, own);
  const known = new Set(diagnostics.list.map((d) => `${d.rule}\u0000${d.line}:${d.column}`));
  let broken = false;
  for (const problem of own.list) {
    const at = back(problem);
    if (problem.severity !== 'error' || known.has(`${problem.rule}\u0000${at.line}:${at.column}`)) continue;
    broken = true;
    if (problem.rule === 'section-empty' || problem.rule === 'section-missing') {
      diagnostics.report('internal-empties-section', at, `In the public version, where internal parts are left out, ${problem.message.replace(/^./, (c) => c.toLowerCase())} Keep some of the section public.`);
    } else {
      diagnostics.report('public-version-invalid', at, `In the public version, where internal parts and internal fields are left out: ${problem.message}`);
    }
  }

  // The redaction check reads what the public sees: the public body and the front matter's values.
  const redaction = new Diagnostics(input.file);
  const bodyText: PublicText = { text: publicBody, what: 'body', fix: 'remove it, or mark it internal with `:internal[…]`', at: (offset) => back(mapped.toPoint(offset) ?? { line: 1, column: 1 }) };
  const lines = input.text.split('\n');
  const fieldTexts = publicValues(stripped).map(([path, value]): PublicText => {
    const field = fieldKey(path);
    const fix = isInternalField(field)
      ? `remove it, or list \`${field}\` in \`internal_fields\` to leave the field out of the public version`
      : `remove it: \`${field}\` is public, and what only the internal review may say goes in the body, marked \`:internal[…]\``;
    return { text: value, what: `\`${path.join('.')}\``, fix, at: inValue(lines, yaml.locate(path, 'value'), value) };
  });
  checkRedaction([...fieldTexts, bodyText], names, catalog.settings.internal_patterns ?? [], redaction);
  const redactions = redaction.list;

  if (broken || hasErrors(diagnostics.list)) return { redactions, leftOut };
  if (version === parsed && stripped === data) return { redactions, leftOut };
  const digest = createHash('sha1').update(input.text).update('\u0000public\u0000').update(publicBody).digest('base64url');
  return { postmortem: { id: input.id, file: input.file, digest, visibility: 'public', ...finish(version, input.html), data: stripped }, redactions, leftOut };
}

/** The field a path of the front matter is in, as `internal_fields` names it: `authors`, `blast_radius.customers`. */
const fieldKey = (path: readonly PropertyKey[]): string => (path[0] === 'blast_radius' ? `blast_radius.${String(path[1])}` : String(path[0]));

const isInternalField = (field: string): field is InternalField => (INTERNAL_FIELDS as readonly string[]).includes(field);

/**
 * Where an offset of a front-matter text `value` is in the file, given the file's `lines` and
 * where the value starts: the same column on a one-line value as written; in a block or folded
 * scalar (`>-`, `|`), where the YAML joined or re-indented lines, the place in the file of the
 * same occurrence of the word at the offset; the value's start when it cannot be found.
 */
function inValue(lines: readonly string[], start: Position, value: string): (offset: number) => Position {
  if (!value.includes('\n') && lines[start.line - 1]?.slice(start.column - 1).startsWith(value)) return (offset) => ({ line: start.line, column: start.column + offset });
  // Within the front matter only, and after a block scalar's header (`>- # a comment`).
  const end = lines.indexOf('---', 1);
  const first = /^[>|]/.test(lines[start.line - 1]?.slice(start.column - 1) ?? '') ? start.line : start.line - 1;
  return (offset) => {
    const word = /^\S+/.exec(value.slice(offset))?.[0];
    if (!word) return start;
    let skip = value.slice(0, offset).split(word).length - 1;
    for (let n = first; n < (end < 0 ? lines.length : end); n++) {
      let column = lines[n]!.indexOf(word, n === start.line - 1 ? start.column - 1 : 0);
      while (column >= 0) {
        if (skip-- === 0) return { line: n + 1, column: column + 1 };
        column = lines[n]!.indexOf(word, column + word.length);
      }
    }
    return start;
  };
}

/** The front-matter fields of `internal_fields` that have a value in `full` and none in its public version `shown`. */
export function fieldsLeftOut(full: FrontMatter, shown: FrontMatter): InternalField[] {
  return INTERNAL_FIELDS.filter((field) => !field.startsWith('remediation.') && valueAt(full, field) !== undefined && valueAt(shown, field) === undefined);
}

/** The front matter without the values of the hidden fields (and without `internal_fields`, which only says what they are). */
function withoutFields(data: FrontMatter, hidden: ReadonlySet<InternalField>): FrontMatter {
  const present = [...hidden].filter((f) => !f.startsWith('remediation.') && valueAt(data, f) !== undefined);
  if (present.length === 0 && data.internal_fields === undefined) return data;
  const { internal_fields: _, ...copy } = { ...data, blast_radius: { ...data.blast_radius } } as FrontMatter;
  for (const field of present) {
    if (field.startsWith('blast_radius.')) delete (copy.blast_radius as Record<string, unknown>)[field.slice('blast_radius.'.length)];
    else delete (copy as Record<string, unknown>)[field];
  }
  return copy;
}

/** The value of a front-matter field of `internal_fields` (`authors`, `blast_radius.customers`), when it has one. */
export function valueAt(data: FrontMatter, field: string): string | string[] | undefined {
  const [first, second] = field.split('.') as [string, string | undefined];
  const value = second === undefined ? (data as Record<string, unknown>)[first] : ((data as Record<string, unknown>)[first] as Record<string, unknown> | undefined)?.[second];
  return value as string | string[] | undefined;
}

/** Every text value of the front matter the public sees, with its path. */
function publicValues(data: FrontMatter): [path: (string | number)[], value: string][] {
  return (['title', 'summary', 'blast_radius', 'organization', 'tags', 'authors'] as const).flatMap((key) => textsOf((data as Record<string, unknown>)[key], [key]));
}

/** Every text in a YAML value (strings of lists and mappings, at any depth), with its path. */
function textsOf(value: unknown, path: (string | number)[]): [path: (string | number)[], text: string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => textsOf(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => textsOf(v, [...path, k]));
  return [];
}

function checkFrontMatter(raw: Record<string, unknown>, yaml: YamlResult, catalog: Catalog, diagnostics: Diagnostics, text: string): FrontMatter | undefined {
  const texts = textsOf(raw, []);
  // Placeholders first: a field still saying TODO is reported once, as unfinished, with what it expects.
  const placeholders = texts.filter(([, value]) => PLACEHOLDER.test(value)).map(([path]) => path);
  for (const path of placeholders) {
    const expected = expectation(catalog.frontMatter, path) ?? expectation(catalog.frontMatter, path.slice(0, -1));
    diagnostics.report('placeholder', yaml.locate(path, 'value'), `\`${fieldName(path)}\` is still a placeholder; expected ${expected ?? 'a real value'}`.replace(/([^.])$/, '$1.'));
  }
  // Internal parts are the body's: in front matter, which is not Markdown, one would be shown as written.
  // The file's lines, split only for such a report: every file is parsed, few hold one.
  let lines: string[] | undefined;
  for (const [path, value] of texts) {
    const found = INTERNAL_DIRECTIVE.exec(value);
    if (!found) continue;
    lines ??= text.split('\n');
    const part = /^:internal\[[^\]\n]*\]?/.exec(value.slice(found.index))?.[0] ?? found[0].trim();
    const field = fieldName(path);
    const key = fieldKey(path);
    const instead = isInternalField(key) ? `, or list \`${key}\` in \`internal_fields\` to keep the whole field internal` : '';
    diagnostics.report('internal-front-matter', inValue(lines, yaml.locate(path, 'value'), value)(found.index + found[0].indexOf(':')), `\`${field}\` holds ${quote(part)}, but internal parts are marked in the body only: front matter is shown as written, in the public version too. Move the internal text into the body${instead}.`);
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
