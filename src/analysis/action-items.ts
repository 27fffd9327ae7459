/**
 * Remediation items over time. A closed item (`[x]`) is done, or declined when it gives the
 * reason it was decided against. It counts as closed on its `done:` date where it gives one, else
 * on its due date (or at once when it has neither); an item still open was open on every earlier
 * day too. A declined item is never overdue, and never counted as done.
 */
import { daysBetween } from '../format/dates.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import type { RemediationItem } from '../format/remediation.ts';

export type ActionState = 'done' | 'declined' | 'open' | 'overdue';

/** How the site names each state. */
export const ACTION_STATE_LABELS: Record<ActionState, string> = { done: 'Done', declined: 'Declined', open: 'Open', overdue: 'Overdue' };

/** A ticket that is an address (linked on the site) rather than an id like `OPS-123`. */
export const isTicketUrl = (ticket: string) => /^https?:\/\//.test(ticket);

/** The state of an item on `today` (`YYYY-MM-DD`): overdue when open and due before today. */
export function actionState(item: RemediationItem, today: string): ActionState {
  if (item.done) return item.declined === undefined ? 'done' : 'declined';
  return item.due !== undefined && item.due < today ? 'overdue' : 'open';
}

export interface ActionCounts {
  /** Not closed (neither done nor declined), overdue ones included. */
  open: number;
  done: number;
  /** Open and due before the build date (a part of `open`). */
  overdue: number;
  /** Closed without being done: decided against. */
  declined: number;
}

export function actionCounts(items: readonly RemediationItem[], today: string): ActionCounts {
  const counts: ActionCounts = { open: 0, done: 0, overdue: 0, declined: 0 };
  for (const item of items) {
    const state = actionState(item, today);
    if (state === 'done') counts.done += 1;
    else if (state === 'declined') counts.declined += 1;
    else counts.open += 1;
    if (state === 'overdue') counts.overdue += 1;
  }
  return counts;
}

/** The day a closed item counts as closed under the rule above: its `done:` date, else its due date; undefined when it has neither (closed at once). */
export const closedOn = (item: RemediationItem): string | undefined => item.doneOn ?? item.due;

/**
 * The day every item of a postmortem counts as closed under the rule above (the latest of their
 * days, or the postmortem's own date when it has no item), or null while an item is open.
 */
export function finishedOn(postmortem: Postmortem): string | null {
  let last = postmortem.data.date;
  for (const item of postmortem.remediation) {
    if (!item.done) return null;
    const on = closedOn(item);
    if (on && on > last) last = on;
  }
  return last;
}

/** Whether the item was closed (done or declined) on `date`, under the rule above. */
export function finishedBy(item: RemediationItem, date: string): boolean {
  const on = closedOn(item);
  return item.done && (on === undefined || on <= date);
}

/**
 * The first day on which one of a postmortem's items had been declined (its `done:` date, else
 * its due date, else the postmortem's date), or null when none is declined.
 */
export function declinedOn(postmortem: Postmortem): string | null {
  let first: string | null = null;
  for (const item of postmortem.remediation) {
    if (!item.done || item.declined === undefined) continue;
    const on = closedOn(item) ?? postmortem.data.date;
    const at = on < postmortem.data.date ? postmortem.data.date : on;
    if (first === null || at < first) first = at;
  }
  return first;
}

/** Whether the done items of these postmortems say when they were finished: all, none, or some of them. */
export function doneDatesGiven(postmortems: Iterable<Postmortem>): 'all' | 'none' | 'some' | 'no-done-items' {
  let dated = 0;
  let undated = 0;
  for (const p of postmortems) for (const item of p.remediation) if (item.done) item.doneOn === undefined ? undated++ : dated++;
  return dated + undated === 0 ? 'no-done-items' : undated === 0 ? 'all' : dated === 0 ? 'none' : 'some';
}

export interface RemediationAt {
  total: number;
  /** Items not finished on the date (open then, or closed later than it). */
  unfinished: number;
  /** Of those, items that are still open today. */
  stillOpen: number;
  /** Items declined by the date (closed then without being done). */
  declined: number;
}

/** How far a postmortem's remediation had come on `date`. */
export function remediationAt(postmortem: Postmortem, date: string): RemediationAt {
  let unfinished = 0;
  let stillOpen = 0;
  let declined = 0;
  for (const item of postmortem.remediation) {
    if (!finishedBy(item, date)) unfinished += 1;
    else if (item.declined !== undefined) declined += 1;
    if (!item.done) stillOpen += 1;
  }
  return { total: postmortem.remediation.length, unfinished, stillOpen, declined };
}

/** One remediation item with its incident, as the actions page and exports list it. */
export interface ActionRow {
  incident: Postmortem;
  item: RemediationItem;
  state: ActionState;
  /** Days past due for an overdue item, else 0. */
  daysOverdue: number;
}

/** Every remediation item of the given postmortems; the most overdue first, then open by due date, then done, then declined. */
export function actionRows(postmortems: readonly Postmortem[], today: string): ActionRow[] {
  const rank = { overdue: 0, open: 1, done: 2, declined: 3 } as const;
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
  /** Share of the items not declined that are done, 0–1 (0 when every item was declined). */
  completion: number;
  /** With `action_deadlines` for the severities of the items: how they kept to them (see `deadlineOutcome`). */
  deadline: DeadlineCounts;
}

export interface DeadlineCounts {
  /** Done within the deadline. */
  met: number;
  /** Done after it, or still open past it. */
  missed: number;
  /** Open, and the deadline has not passed. */
  pending: number;
}

/** Days within which remediation is due, per severity (hindsight.yml's `action_deadlines`). */
export type Deadlines = Readonly<Record<string, number>> | undefined;

/** The last day an item of the row's incident is due under `deadlines`, or undefined when its severity has none. */
export function deadlineOf(row: Pick<ActionRow, 'incident'>, deadlines: Deadlines): string | undefined {
  const days = deadlines?.[row.incident.data.severity];
  return days === undefined ? undefined : new Date(Date.parse(row.incident.data.date) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Whether an item kept to its severity's deadline: done by then (on its `done:` date, else its
 * due date, as above), missed, or open and still within it; undefined for a declined item or a
 * severity without a deadline.
 */
export function deadlineOutcome(row: ActionRow, deadlines: Deadlines, today: string): keyof DeadlineCounts | undefined {
  const deadline = deadlineOf(row, deadlines);
  if (deadline === undefined || row.state === 'declined') return undefined;
  if (row.state === 'done') return (closedOn(row.item) ?? row.incident.data.date) <= deadline ? 'met' : 'missed';
  return deadline < today ? 'missed' : 'pending';
}

/** Items grouped by a key (owner, severity…), with their completion rate and, with `deadlines`, how they kept to them; most open items first. */
export function followThrough(rows: readonly ActionRow[], keyOf: (row: ActionRow) => string, deadlines?: Deadlines, today = ''): FollowThrough[] {
  return [...Map.groupBy(rows, keyOf)]
    .map(([key, list]) => {
      const done = list.filter((r) => r.state === 'done').length;
      const declined = list.filter((r) => r.state === 'declined').length;
      const overdue = list.filter((r) => r.state === 'overdue').length;
      const deadline: DeadlineCounts = { met: 0, missed: 0, pending: 0 };
      for (const row of list) {
        const outcome = deadlineOutcome(row, deadlines, today);
        if (outcome) deadline[outcome] += 1;
      }
      const counted = list.length - declined;
      return { key, total: list.length, done, open: counted - done, overdue, declined, completion: counted ? done / counted : 0, deadline };
    })
    .sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.key.localeCompare(b.key));
}
