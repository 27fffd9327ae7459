/**
 * Remediation items: a GFM task list whose items may end in `(owner: …, due: …, ticket: …, type: …)`;
 * a closed `[x]` item may also say when it was finished (`done: YYYY-MM-DD`) or that it was
 * decided against, with the reason (`declined: …`). Pure: list items and their source in, items out.
 */
import type { List } from 'mdast';
import { location } from 'vfile-location';
import { isCalendarDate, isHttpUrl } from '../../schemas/common.ts';
import { quote, type Diagnostics, type Position } from './diagnostics.ts';
import { daysBetween } from './dates.ts';
import { didYouMean } from './suggest.ts';

export const ACTION_TYPES = ['prevent', 'detect', 'mitigate', 'process'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];
const KEYS = ['owner', 'due', 'ticket', 'type', 'done', 'declined'] as const;

export interface RemediationItem {
  at: Position;
  done: boolean;
  /** The action, in Markdown, without its details. */
  text: string;
  /** `text` as inline HTML, when the parse was asked for it. */
  html?: string;
  owner?: string;
  /** Calendar date `YYYY-MM-DD`. */
  due?: string;
  ticket?: string;
  type?: ActionType;
  /** The day a closed item was finished (or declined), `YYYY-MM-DD`, when it says (`done:`). */
  doneOn?: string;
  /** Why a closed item was decided against (`declined:`); such an item is closed but not done. */
  declined?: string;
  /** Written inside an internal block (see internal-parts.ts): left out of the public version. */
  internal?: boolean;
}

/** What the items are checked against: their incident's date and the days its severity gives remediation (hindsight.yml's `action_deadlines`). */
export interface RemediationContext {
  /** The incident's date, `YYYY-MM-DD`, when valid. */
  date?: string;
  severity?: string;
  /** Days within which items are due, for this severity. */
  deadline?: number;
  /** Details the public version leaves out (internal fields): not required of its items. */
  hidden?: readonly string[];
  /** Filled with where each item's details are, for the public version to leave some out. */
  details?: Details[];
}

/** An item's `(key: value, …)`: offsets in the body of the parenthesis (from the space before it) and of each pair. */
export interface Details {
  start: number;
  end: number;
  pairs: { key: string; start: number; end: number }[];
}

/** A `done:` date with where it is written, for the check against the build date (see ../knowledge-base/index.ts). */
export interface DoneDate {
  date: string;
  at: Position;
}

// A trailing parenthesis that holds at least one `key:` pair.
const DETAILS = /\((?<inner>\s*[A-Za-z_-]+\s*:[^()]*)\)\s*$/;
const TICKET = /^[A-Za-z0-9][A-Za-z0-9._#/-]*$/;

export function parseRemediation(
  lists: readonly List[],
  body: string,
  diagnostics: Diagnostics,
  heading: Position,
  context: RemediationContext = {},
  doneDates: DoneDate[] = [],
): RemediationItem[] {
  const place = location(body);
  const items: RemediationItem[] = [];
  for (const item of lists.flatMap((list) => list.children)) {
    const paragraph = item.children[0];
    const at = { line: item.position?.start.line ?? heading.line, column: item.position?.start.column ?? 1 };
    if (item.checked === null || item.checked === undefined || paragraph?.type !== 'paragraph' || !paragraph.position) {
      diagnostics.report('remediation-item', at, 'Remediation items are tasks: write `- [ ] action` (open) or `- [x] action` (done).');
      continue;
    }
    const startOffset = paragraph.position.start.offset!;
    const raw = body.slice(startOffset, paragraph.position.end.offset);
    const result: RemediationItem = { at, done: item.checked, text: raw.trim() };
    const details = DETAILS.exec(raw);
    const invalid = new Set<string>();
    const positions = new Map<string, Position>();
    if (details?.groups) {
      result.text = raw.slice(0, details.index).trim();
      const innerOffset = startOffset + details.index + 1;
      const seen = new Set<string>();
      const spans: Details = { start: startOffset + raw.slice(0, details.index).trimEnd().length, end: startOffset + details.index + details[0].trimEnd().length, pairs: [] };
      context.details?.push(spans);
      // Pairs end only at a comma followed by another `key:`, so URLs with commas survive.
      for (const match of details.groups.inner!.matchAll(/\s*([^,:]+?\s*:(?:[^,]|,(?!\s*[A-Za-z_-]+\s*:))*)/g)) {
        const pair = match[1]!;
        const pairAt = toPosition(place.toPoint(innerOffset + match.index + match[0].length - pair.length));
        const colon = pair.indexOf(':');
        const key = pair.slice(0, colon).trim().toLowerCase();
        const value = pair.slice(colon + 1).replace(/,\s*$/, '').trim();
        const pairStart = innerOffset + match.index + match[0].length - pair.length;
        spans.pairs.push({ key, start: pairStart, end: pairStart + pair.replace(/[\s,]*$/, '').length });
        if (!(KEYS as readonly string[]).includes(key)) {
          diagnostics.report('remediation-detail', pairAt, `Unknown detail ${quote(key)}${didYouMean(key, KEYS) || `; the keys are ${KEYS.join(', ')}.`}`);
          continue;
        }
        if (seen.has(key)) {
          diagnostics.report('remediation-detail', pairAt, `Detail \`${key}\` is given twice in this item; keep one.`);
          continue;
        }
        seen.add(key);
        positions.set(key, pairAt);
        const problem = checkDetail(key as (typeof KEYS)[number], value);
        if (problem) {
          diagnostics.report('remediation-detail', pairAt, problem);
          invalid.add(key);
        }
        else (result as unknown as Record<string, string>)[key === 'done' ? 'doneOn' : key] = value;
      }
    }
    checkClosing(result, positions, context, diagnostics, doneDates);
    // A detail that is present but invalid is reported once, above, not again as missing.
    const missing = (['owner', 'due'] as const).filter((key) => result[key] === undefined && !invalid.has(key) && !context.hidden?.includes(`remediation.${key}`));
    if (missing.length > 0) {
      const what = missing.length > 1 ? 'an owner and a due date' : missing[0] === 'owner' ? 'an owner' : 'a due date';
      diagnostics.reportForPublishing('remediation-required', at, `This item has no ${missing.map((k) => `\`${k}\``).join(' or ')}; published postmortems give each action ${what}: \`(owner: team, due: YYYY-MM-DD)\`.`);
    }
    items.push(result);
  }
  if (lists.every((list) => list.children.length === 0)) {
    diagnostics.reportForPublishing('remediation-required', heading, 'A published postmortem needs at least one remediation item: `- [ ] action (owner: team, due: YYYY-MM-DD)`.');
  }
  return items;
}

/** `done:` and `declined:` belong to closed items; a done date falls on or after the incident; `due` keeps to the severity's deadline. */
function checkClosing(item: RemediationItem, positions: ReadonlyMap<string, Position>, { date, severity, deadline }: RemediationContext, diagnostics: Diagnostics, doneDates: DoneDate[]): void {
  if (item.doneOn !== undefined) {
    const at = positions.get('done')!;
    if (!item.done) diagnostics.report('remediation-done', at, `\`done\` gives the day an item was finished, but this item is open (\`- [ ]\`); tick its box (\`- [x]\`) or remove the date.`);
    else if (date !== undefined && item.doneOn < date) diagnostics.report('remediation-done', at, `\`done\` is ${item.doneOn}, before the incident (${date}); an item is finished on or after the day of the incident it remediates.`);
    else doneDates.push({ date: item.doneOn, at });
  }
  if (item.declined !== undefined && !item.done) {
    diagnostics.report('remediation-declined', positions.get('declined')!, `\`declined\` closes an item with the reason it was decided against, but this item is open (\`- [ ]\`); tick its box (\`- [x]\`) or remove the reason.`);
  }
  if (deadline !== undefined && date !== undefined && item.due !== undefined && item.declined === undefined) {
    const days = daysBetween(date, item.due);
    if (days > deadline) {
      diagnostics.report('remediation-deadline', positions.get('due')!, `\`due\` is ${item.due}, ${days} days after the incident; hindsight.yml's \`action_deadlines\` gives ${severity} remediation ${deadline} days (until ${addDays(date, deadline)}).`);
    }
  }
}

/** The calendar date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
}

function checkDetail(key: (typeof KEYS)[number], value: string): string | undefined {
  if (value === '') return `Detail \`${key}\` is empty.`;
  switch (key) {
    case 'due':
    case 'done':
      return isCalendarDate(value) ? undefined : `\`${key}\` is ${quote(value)}; expected a calendar date written YYYY-MM-DD.`;
    case 'type':
      return (ACTION_TYPES as readonly string[]).includes(value)
        ? undefined
        : `Unknown action type ${quote(value)}${didYouMean(value, ACTION_TYPES) || `; expected one of ${ACTION_TYPES.join(', ')}.`}`;
    case 'ticket':
      return TICKET.test(value) || isHttpUrl(value) ? undefined : `\`ticket\` is ${quote(value)}; expected a ticket id like \`OPS-123\` or an http(s) URL.`;
    default:
      return undefined;
  }
}

const toPosition = (point: { line: number; column: number } | undefined): Position => point ?? { line: 1, column: 1 };
