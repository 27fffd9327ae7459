/**
 * Remediation items over time. The format records whether an item is done and when it is due,
 * not when it was finished; so an item that is done counts as finished on its due date (or at
 * once when it has none), and an item still open was open on every earlier day too.
 */
import { daysBetween } from '../format/dates.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import type { RemediationItem } from '../format/remediation.ts';

export type ActionState = 'done' | 'open' | 'overdue';

/** How the site names each state. */
export const ACTION_STATE_LABELS: Record<ActionState, string> = { done: 'Done', open: 'Open', overdue: 'Overdue' };

/** A ticket that is an address (linked on the site) rather than an id like `OPS-123`. */
export const isTicketUrl = (ticket: string) => /^https?:\/\//.test(ticket);

/** The state of an item on `today` (`YYYY-MM-DD`): overdue when open and due before today. */
export function actionState(item: RemediationItem, today: string): ActionState {
  if (item.done) return 'done';
  return item.due !== undefined && item.due < today ? 'overdue' : 'open';
}

export interface ActionCounts {
  /** Not done, overdue ones included. */
  open: number;
  done: number;
  /** Open and due before the build date (a part of `open`). */
  overdue: number;
}

export function actionCounts(items: readonly RemediationItem[], today: string): ActionCounts {
  const counts: ActionCounts = { open: 0, done: 0, overdue: 0 };
  for (const item of items) {
    const state = actionState(item, today);
    if (state === 'done') counts.done += 1;
    else counts.open += 1;
    if (state === 'overdue') counts.overdue += 1;
  }
  return counts;
}

/**
 * The day every item of a postmortem counts as finished under the rule above (the latest due
 * date, or the postmortem's own date when it has no item), or null while an item is open.
 */
export function finishedOn(postmortem: Postmortem): string | null {
  let last = postmortem.data.date;
  for (const item of postmortem.remediation) {
    if (!item.done) return null;
    if (item.due && item.due > last) last = item.due;
  }
  return last;
}

/** Whether the item was finished on `date`, under the rule above. */
export function finishedBy(item: RemediationItem, date: string): boolean {
  return item.done && (item.due === undefined || item.due <= date);
}

export interface RemediationAt {
  total: number;
  /** Items not finished on the date (open then, or done later than it). */
  unfinished: number;
  /** Of those, items that are still open today. */
  stillOpen: number;
}

/** How far a postmortem's remediation had come on `date`. */
export function remediationAt(postmortem: Postmortem, date: string): RemediationAt {
  let unfinished = 0;
  let stillOpen = 0;
  for (const item of postmortem.remediation) {
    if (!finishedBy(item, date)) unfinished += 1;
    if (!item.done) stillOpen += 1;
  }
  return { total: postmortem.remediation.length, unfinished, stillOpen };
}

/** One remediation item with its incident, as the actions page and exports list it. */
export interface ActionRow {
  incident: Postmortem;
  item: RemediationItem;
  state: ActionState;
  /** Days past due for an overdue item, else 0. */
  daysOverdue: number;
}

/** Every remediation item of the given postmortems; the most overdue first, then open by due date, then done. */
export function actionRows(postmortems: readonly Postmortem[], today: string): ActionRow[] {
  const rank = { overdue: 0, open: 1, done: 2 } as const;
  return postmortems
    .flatMap((incident) =>
      incident.remediation.map((item) => {
        const state = actionState(item, today);
        const daysOverdue = state === 'overdue' ? daysBetween(item.due!, today) : 0;
        return { incident, item, state, daysOverdue };
      }),
    )
    .sort(
      (a, b) =>
        rank[a.state] - rank[b.state] ||
        b.daysOverdue - a.daysOverdue ||
        (a.item.due ?? '9999').localeCompare(b.item.due ?? '9999') ||
        a.incident.id.localeCompare(b.incident.id) ||
        a.item.at.line - b.item.at.line,
    );
}

export interface FollowThrough extends ActionCounts {
  key: string;
  total: number;
  /** Share of items done, 0–1. */
  completion: number;
}

/** Items grouped by a key (owner, severity…), with their completion rate; most open items first. */
export function followThrough(rows: readonly ActionRow[], keyOf: (row: ActionRow) => string): FollowThrough[] {
  return [...Map.groupBy(rows, keyOf)]
    .map(([key, list]) => {
      const done = list.filter((r) => r.state === 'done').length;
      const overdue = list.filter((r) => r.state === 'overdue').length;
      return { key, total: list.length, done, open: list.length - done, overdue, completion: done / list.length };
    })
    .sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.key.localeCompare(b.key));
}
