import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionCounts, actionState, finishedOn, remediationAt } from '../src/analysis/action-items.ts';
import { chronological, linkPostmortems, recurrences, WHILE_OPEN_KEPT, type Links } from '../src/analysis/linking.ts';
import type { Postmortem } from '../src/format/postmortem.ts';

const whileOpen = (p: { id: string }, links: Links) => links.whileOpen.get(p.id) ?? [];
import { makePostmortem } from './helpers/postmortems.ts';

const ids = (list: readonly { id: string }[] | undefined) => (list ?? []).map((p) => p.id);

describe('remediation over time', () => {
  const item = (done: boolean, due: string) => ({ done, due, at: { line: 1, column: 1 }, text: 'x' });

  it('is overdue only when open and due strictly before the build date', () => {
    expect(actionState(item(false, '2024-03-04'), '2024-03-05')).toBe('overdue');
    expect(actionState(item(false, '2024-03-05'), '2024-03-05')).toBe('open');
    expect(actionState(item(true, '2020-01-01'), '2024-03-05')).toBe('done');
    expect(actionCounts([item(false, '2024-01-01'), item(false, '2025-01-01'), item(true, '2024-01-01')], '2024-03-05')).toEqual({ open: 2, done: 1, overdue: 1, declined: 0 });
  });

  it('counts a done item as finished from its due date, and an open one as never finished', () => {
    const p = makePostmortem({ id: 'a', date: '2020-01-10', items: [{ done: true, due: '2020-03-01' }, { done: false, due: '2020-02-01' }] });
    expect(remediationAt(p, '2020-02-29')).toEqual({ total: 2, unfinished: 2, stillOpen: 1, declined: 0 });
    expect(remediationAt(p, '2020-03-01')).toEqual({ total: 2, unfinished: 1, stillOpen: 1, declined: 0 });
  });

  it('counts a done item as finished on the day it gives, where it gives one', () => {
    const p = makePostmortem({ id: 'a', date: '2020-01-10', items: [{ done: true, due: '2020-03-01', doneOn: '2020-01-20' }, { done: true, due: '2020-02-01' }] });
    expect(remediationAt(p, '2020-01-31')).toEqual({ total: 2, unfinished: 1, stillOpen: 0, declined: 0 });
    expect(finishedOn(p)).toBe('2020-02-01');
    const late = makePostmortem({ id: 'b', date: '2020-01-10', items: [{ done: true, due: '2020-02-01', doneOn: '2020-05-05' }] });
    expect(finishedOn(late)).toBe('2020-05-05');
  });

  it('counts a declined item apart from done and open, and never as overdue', () => {
    const declined = { done: true, due: '2020-01-01', declined: 'too costly', at: { line: 1, column: 1 }, text: 'x' };
    expect(actionState(declined, '2024-03-05')).toBe('declined');
    expect(actionCounts([declined, item(false, '2020-01-01'), item(true, '2020-01-01')], '2024-03-05')).toEqual({ open: 1, done: 1, overdue: 1, declined: 1 });
    const p = makePostmortem({ id: 'd', date: '2020-01-10', items: [{ done: true, due: '2020-02-01', declined: 'replaced by a new system' }, { done: true, due: '2020-02-01' }] });
    expect(p.remediation[0]).toMatchObject({ done: true, declined: 'replaced by a new system' });
    expect(remediationAt(p, '2020-03-01')).toEqual({ total: 2, unfinished: 0, stillOpen: 0, declined: 1 });
  });
});

describe('recurring causes', () => {
  const a = makePostmortem({ id: 'a', date: '2020-01-10', causes: ['global-rollout'], items: [{ done: false, due: '2020-02-01' }] });
  const b = makePostmortem({ id: 'b', date: '2020-06-01', causes: ['global-rollout', 'expired-certificate'], items: [{ done: true, due: '2020-07-01' }] });
  const c = makePostmortem({ id: 'c', date: '2021-01-01', causes: ['expired-certificate'] });
  const links = linkPostmortems([c, a, b]);

  it('lists, per cause, the earlier incidents with their remediation then, and the later ones', () => {
    expect(recurrences(b, links).map((r) => ({ cause: r.cause, earlier: r.earlier.map((e) => [e.postmortem.id, e.remediation]), later: ids(r.later) }))).toEqual([
      { cause: 'global-rollout', earlier: [['a', { total: 1, unfinished: 1, stillOpen: 1, declined: 0 }]], later: [] },
      { cause: 'expired-certificate', earlier: [], later: ['c'] },
    ]);
  });

  it('flags an incident whose cause still had unfinished remediation from an earlier one', () => {
    expect(whileOpen(b, links).map((r) => [r.cause, r.earlier.id])).toEqual([['global-rollout', 'a']]);
    expect(links.reopenedBy.get('a')?.map((r) => [r.cause, r.later.id])).toEqual([['global-rollout', 'b']]);
    // b's only item was done by its due date, before c happened.
    expect(whileOpen(c, links)).toEqual([]);
  });

  it('counts an item done after the recurrence as unfinished when it recurred', () => {
    const late = makePostmortem({ id: 'late', date: '2020-06-15', causes: ['expired-certificate'], items: [{ done: true, due: '2021-06-01' }] });
    const l = linkPostmortems([late, c]);
    expect(whileOpen(c, l).map((r) => r.earlier.id)).toEqual(['late']);
  });

  it('counts an item as finished on its done date, before or after the recurrence', () => {
    const early = makePostmortem({ id: 'early', date: '2020-06-15', causes: ['expired-certificate'], items: [{ done: true, due: '2021-06-01', doneOn: '2020-07-01' }] });
    expect(whileOpen(c, linkPostmortems([early, c]))).toEqual([]);
    const late = makePostmortem({ id: 'late', date: '2020-06-15', causes: ['expired-certificate'], items: [{ done: true, due: '2020-07-01', doneOn: '2021-02-01' }] });
    expect(whileOpen(c, linkPostmortems([late, c])).map((r) => r.earlier.id)).toEqual(['late']);
  });

  it('says when a cause recurred after a fix of it was declined', () => {
    const declined = makePostmortem({ id: 'declined', date: '2020-06-15', causes: ['expired-certificate'], items: [{ done: true, due: '2020-07-01', declined: 'the service is retired' }] });
    const l = linkPostmortems([declined, c]);
    expect(whileOpen(c, l)).toEqual([]);
    expect(l.afterDeclined.get('c')?.map((r) => [r.cause, r.earlier.id])).toEqual([['expired-certificate', 'declined']]);
    expect(l.afterDeclinedCount.get('c')).toBe(1);
  });

  it('only holds an organization to its own open fixes', () => {
    const theirs = makePostmortem({ id: 'theirs', date: '2020-01-01', extra: 'organization: Other', items: [{ done: false, due: '2020-02-01' }] });
    const ours = makePostmortem({ id: 'ours', date: '2021-01-01', extra: 'organization: Us' });
    const l = linkPostmortems([theirs, ours]);
    expect(recurrences(ours, l)[0]!.earlier.map((e) => e.postmortem.id)).toEqual(['theirs']);
    expect(whileOpen(ours, l)).toEqual([]);
  });

  it('orders incidents of the same day by their start time', () => {
    const early = makePostmortem({ id: 'zz-early', date: '2022-05-05', start: '01:00' });
    const noon = makePostmortem({ id: 'aa-noon', date: '2022-05-05', start: '12:00' });
    const l = linkPostmortems([noon, early]);
    expect(ids(l.byCause.get('global-rollout'))).toEqual(['zz-early', 'aa-noon']);
    expect(recurrences(noon, l)[0]!.earlier.map((e) => e.postmortem.id)).toEqual(['zz-early']);
  });

  it('shows explicit related links on both ends', () => {
    const x = makePostmortem({ id: 'x', date: '2020-01-01', related: ['y'] });
    const y = makePostmortem({ id: 'y', date: '2021-01-01' });
    const l = linkPostmortems([x, y]);
    expect(ids(l.related.get('x'))).toEqual(['y']);
    expect(ids(l.related.get('y'))).toEqual(['x']);
  });

  it('gives the same links whatever order the postmortems come in', () => {
    const all = [a, b, c, makePostmortem({ id: 'd', date: '2020-06-01', causes: ['global-rollout'] })];
    const view = (l: ReturnType<typeof linkPostmortems>) => JSON.stringify([...l.byCause].map(([k, v]) => [k, ids(v)]));
    fc.assert(fc.property(fc.shuffledSubarray(all, { minLength: all.length }), (order) => view(linkPostmortems(order)) === view(linkPostmortems(all))));
  });
});

describe('recurred while open, at scale', () => {
  /**
   * The rule read plainly, one pair at a time: for each cause (in order of first use), an earlier
   * incident of the same organization whose remediation was not finished by the later one's date.
   */
  function reference(postmortems: readonly Postmortem[]) {
    const ordered = [...postmortems].sort(chronological);
    const causes = [...new Set(ordered.flatMap((p) => p.data.causes))];
    const pairs = causes.flatMap((cause) => {
      const list = ordered.filter((p) => p.data.causes.includes(cause));
      return list.flatMap((later, j) =>
        list.slice(0, j).flatMap((earlier) => {
          // Each item closed (done or declined) on the day it gives, else on its due date; never before its incident's date.
          const closed = [earlier.data.date, ...earlier.remediation.map((item) => item.doneOn ?? item.due!)].sort().at(-1)!;
          const unfinished = earlier.remediation.some((item) => !item.done) || closed > later.data.date;
          return earlier.data.organization === later.data.organization && unfinished ? [{ cause, earlier, later }] : [];
        }),
      );
    });
    // Recurred after a fix was declined: an earlier item declined by the later one's date (never before its own incident).
    const declinedPairs = causes.flatMap((cause) => {
      const list = ordered.filter((p) => p.data.causes.includes(cause));
      return list.flatMap((later, j) =>
        list.slice(0, j).flatMap((earlier) => {
          const declined = earlier.remediation.some((item) => item.done && item.declined !== undefined && [item.doneOn ?? item.due!, earlier.data.date].sort()[1]! <= later.data.date);
          return earlier.data.organization === later.data.organization && declined ? [{ cause, earlier, later }] : [];
        }),
      );
    });
    const lists = new Map<string, string[]>();
    const counts = new Map<string, Set<string>>();
    for (const side of ['earlier', 'later'] as const) {
      const other = side === 'earlier' ? 'later' : 'earlier';
      for (const p of ordered) {
        const mine = pairs.filter((pair) => pair[other] === p);
        const kept = causes.flatMap((cause) => {
          const ofCause = mine.filter((pair) => pair.cause === cause);
          return side === 'earlier' ? ofCause.slice(-WHILE_OPEN_KEPT) : ofCause.slice(0, WHILE_OPEN_KEPT);
        });
        if (kept.length) lists.set(`${side} ${p.id}`, kept.map((pair) => `${pair.cause} ${pair[side].id}`));
        if (mine.length) counts.set(`${side} ${p.id}`, new Set(mine.map((pair) => pair[side].id)));
      }
    }
    for (const p of ordered) {
      const mine = declinedPairs.filter((pair) => pair.later === p);
      const kept = causes.flatMap((cause) => mine.filter((pair) => pair.cause === cause).slice(-WHILE_OPEN_KEPT));
      if (kept.length) lists.set(`declined ${p.id}`, kept.map((pair) => `${pair.cause} ${pair.earlier.id}`));
      if (mine.length) counts.set(`declined ${p.id}`, new Set(mine.map((pair) => pair.earlier.id)));
    }
    return { lists: Object.fromEntries(lists), counts: Object.fromEntries([...counts].map(([key, set]) => [key, set.size])) };
  }
  function actual(links: Links) {
    const lists: Record<string, string[]> = {};
    const counts: Record<string, number> = {};
    for (const [id, list] of links.whileOpen) lists[`earlier ${id}`] = list.map((pair) => `${pair.cause} ${pair.earlier.id}`);
    for (const [id, list] of links.reopenedBy) lists[`later ${id}`] = list.map((pair) => `${pair.cause} ${pair.later.id}`);
    for (const [id, n] of links.whileOpenCount) counts[`earlier ${id}`] = n;
    for (const [id, n] of links.reopenedCount) counts[`later ${id}`] = n;
    for (const [id, list] of links.afterDeclined) lists[`declined ${id}`] = list.map((pair) => `${pair.cause} ${pair.earlier.id}`);
    for (const [id, n] of links.afterDeclinedCount) counts[`declined ${id}`] = n;
    return { lists, counts };
  }

  // Parsed once, then varied: what the links read is dates, start times, causes, organization and remediation.
  const base = makePostmortem({ id: 'base', date: '2020-01-01' });
  const CAUSES = ['global-rollout', 'expired-certificate', 'status-page-shared-fate'];
  const day = (n: number) => new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);
  const incident = fc.record({
    date: fc.integer({ min: 0, max: 60 }),
    // Impact can start the day before the incident's date (a time zone west of UTC).
    startShift: fc.integer({ min: -1, max: 0 }),
    hour: fc.integer({ min: 0, max: 23 }),
    causes: fc.subarray(CAUSES, { minLength: 1 }),
    organization: fc.constantFrom(undefined, 'Blue', 'Green'),
    // A closed item may give the day it was finished (days after the incident), or be declined.
    items: fc.array(fc.record({ done: fc.boolean(), due: fc.integer({ min: 0, max: 80 }), doneAfter: fc.option(fc.integer({ min: 0, max: 40 })), declined: fc.boolean() }), { maxLength: 3 }),
  });
  const knowledgeBase = fc.array(incident, { minLength: 1, maxLength: 70 }).map((list) =>
    list.map((facts, n): Postmortem => {
      const date = day(facts.date);
      const start = `${day(facts.date + facts.startShift)}T${String(facts.hour).padStart(2, '0')}:00:00Z`;
      return {
        ...base,
        id: `i-${n}`,
        data: { ...base.data, date, causes: facts.causes, organization: facts.organization },
        timeline: [{ ...base.timeline[0]!, marker: 'start', time: start }],
        remediation: facts.items.map((item) => ({
          ...base.remediation[0]!,
          done: item.done,
          due: day(item.due),
          ...(item.done && item.doneAfter !== null && { doneOn: day(facts.date + item.doneAfter) }),
          ...(item.done && item.declined && { declined: 'not worth it' }),
        })),
      };
    }),
  );

  it('keeps the nearest pairs and counts every distinct incident, as pair by pair would', () => {
    fc.assert(
      fc.property(knowledgeBase, (postmortems) => {
        expect(actual(linkPostmortems(postmortems, new Map()))).toEqual(reference(postmortems));
      }),
      { numRuns: 300 },
    );
  });

  it('counts a cause named twice once', () => {
    const a = makePostmortem({ id: 'a', date: '2020-01-10', causes: ['expired-certificate', 'expired-certificate'], items: [{ done: false, due: '2020-02-01' }] });
    const b = makePostmortem({ id: 'b', date: '2020-03-10', causes: ['expired-certificate'] });
    const links = linkPostmortems([a, b], new Map());
    expect(ids(links.byCause.get('expired-certificate'))).toEqual(['a', 'b']);
    expect(actual(links)).toEqual({ lists: { 'earlier b': ['expired-certificate a'], 'later a': ['expired-certificate b'] }, counts: { 'earlier b': 1, 'later a': 1 } });
  });
});

describe('possibly related incidents', () => {
  const cert = (id: string, date: string, extra: string) =>
    makePostmortem({
      id,
      date,
      causes: ['expired-certificate'],
      summary: `An expired TLS certificate on the login gateway broke sign-in. ${extra}`,
      rootCause: `Nobody renewed the certificate of the login gateway before it expired; renewal reminders went to a mailbox nobody read. ${extra}`,
    });
  const one = cert('cert-one', '2019-03-01', 'Mobile clients failed first.');
  const two = cert('cert-two', '2021-08-01', 'Desktop clients failed first.');
  const unrelated = makePostmortem({
    id: 'replication',
    date: '2020-05-05',
    summary: 'Database replication lag grew until reads returned stale orders.',
    rootCause: 'A vacuum job held locks on the primary database, so replicas fell hours behind.',
  });
  const other = makePostmortem({ id: 'dns', date: '2020-07-07', summary: 'A DNS zone transfer failed and records went missing.', rootCause: 'The zone file exceeded a size limit nobody knew about.' });

  it('links incidents whose summary and root cause read alike, and never unrelated ones', () => {
    const links = linkPostmortems([one, two, unrelated, other]);
    expect(ids(links.similar.get('cert-one')?.map((s) => s.postmortem))).toEqual(['cert-two']);
    expect(ids(links.similar.get('cert-two')?.map((s) => s.postmortem))).toEqual(['cert-one']);
    expect(links.similar.get('replication')).toBeUndefined();
    expect(links.similar.get('dns')).toBeUndefined();
  });

  it('leaves out incidents already linked explicitly, and keeps at most three', () => {
    const linked = makePostmortem({ ...{ id: 'cert-three', date: '2022-01-01', related: ['cert-one'] }, causes: ['expired-certificate'], summary: one.data.summary, rootCause: 'Nobody renewed the certificate of the login gateway before it expired.' });
    const more = ['a', 'b', 'c', 'd'].map((n, i) => cert(`cert-more-${n}`, `2023-0${i + 1}-01`, ''));
    const links = linkPostmortems([one, two, linked, ...more]);
    const similar = ids(links.similar.get('cert-one')?.map((s) => s.postmortem));
    expect(similar).toHaveLength(3);
    expect(similar).not.toContain('cert-three');
  });
});
