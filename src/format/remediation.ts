/**
 * Remediation items: a GFM task list whose items may end in `(owner: …, due: …, ticket: …, type: …)`.
 * Pure: list items and their source in, items out.
 */
import type { List } from 'mdast';
import { location } from 'vfile-location';
import { isCalendarDate, isHttpUrl } from '../../schemas/common.ts';
import { quote, type Diagnostics, type Position } from './diagnostics.ts';
import { didYouMean } from './suggest.ts';

export const ACTION_TYPES = ['prevent', 'detect', 'mitigate', 'process'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];
const KEYS = ['owner', 'due', 'ticket', 'type'] as const;

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
}

// A trailing parenthesis that holds at least one `key:` pair.
const DETAILS = /\((?<inner>\s*[A-Za-z_-]+\s*:[^()]*)\)\s*$/;
const TICKET = /^[A-Za-z0-9][A-Za-z0-9._#/-]*$/;

export function parseRemediation(
  lists: readonly List[],
  body: string,
  diagnostics: Diagnostics,
  heading: Position,
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
    if (details?.groups) {
      result.text = raw.slice(0, details.index).trim();
      const innerOffset = startOffset + details.index + 1;
      const seen = new Set<string>();
      // Pairs end only at a comma followed by another `key:`, so URLs with commas survive.
      for (const match of details.groups.inner!.matchAll(/\s*([^,:]+?\s*:(?:[^,]|,(?!\s*[A-Za-z_-]+\s*:))*)/g)) {
        const pair = match[1]!;
        const pairAt = toPosition(place.toPoint(innerOffset + match.index + match[0].length - pair.length));
        const colon = pair.indexOf(':');
        const key = pair.slice(0, colon).trim().toLowerCase();
        const value = pair.slice(colon + 1).replace(/,\s*$/, '').trim();
        if (!(KEYS as readonly string[]).includes(key)) {
          diagnostics.report('remediation-detail', pairAt, `Unknown detail ${quote(key)}${didYouMean(key, KEYS) || `; the keys are ${KEYS.join(', ')}.`}`);
          continue;
        }
        if (seen.has(key)) {
          diagnostics.report('remediation-detail', pairAt, `Detail \`${key}\` is given twice in this item; keep one.`);
          continue;
        }
        seen.add(key);
        const problem = checkDetail(key as (typeof KEYS)[number], value);
        if (problem) {
          diagnostics.report('remediation-detail', pairAt, problem);
          invalid.add(key);
        }
        else (result as unknown as Record<string, string>)[key] = value;
      }
    }
    // A detail that is present but invalid is reported once, above, not again as missing.
    const missing = (['owner', 'due'] as const).filter((key) => result[key] === undefined && !invalid.has(key));
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

function checkDetail(key: (typeof KEYS)[number], value: string): string | undefined {
  if (value === '') return `Detail \`${key}\` is empty.`;
  switch (key) {
    case 'due':
      return isCalendarDate(value) ? undefined : `\`due\` is ${quote(value)}; expected a calendar date written YYYY-MM-DD.`;
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
