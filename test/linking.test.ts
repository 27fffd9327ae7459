import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionCounts, actionState, remediationAt } from '../src/action-items.ts';
import { linkPostmortems, recurrences, type Links } from '../src/linking.ts';

const whileOpen = (p: { id: string }, links: Links) => links.whileOpen.get(p.id) ?? [];
import { makePostmortem } from './helpers/postmortems.ts';

const ids = (list: readonly { id: string }[] | undefined) => (list ?? []).map((p) => p.id);

describe('remediation over time', () => {
  const item = (done: boolean, due: string) => ({ done, due, at: { line: 1, column: 1 }, text: 'x' });

  it('is overdue only when open and due strictly before the build date', () => {
    expect(actionState(item(false, '2024-03-04'), '2024-03-05')).toBe('overdue');
    expect(actionState(item(false, '2024-03-05'), '2024-03-05')).toBe('open');
    expect(actionState(item(true, '2020-01-01'), '2024-03-05')).toBe('done');
    expect(actionCounts([item(false, '2024-01-01'), item(false, '2025-01-01'), item(true, '2024-01-01')], '2024-03-05')).toEqual({ open: 2, done: 1, overdue: 1 });
  });

  it('counts a done item as finished from its due date, and an open one as never finished', () => {
    const p = makePostmortem({ id: 'a', date: '2020-01-10', items: [{ done: true, due: '2020-03-01' }, { done: false, due: '2020-02-01' }] });
    expect(remediationAt(p, '2020-02-29')).toEqual({ total: 2, unfinished: 2, stillOpen: 1 });
    expect(remediationAt(p, '2020-03-01')).toEqual({ total: 2, unfinished: 1, stillOpen: 1 });
  });
});

describe('recurring causes', () => {
  const a = makePostmortem({ id: 'a', date: '2020-01-10', causes: ['global-rollout'], items: [{ done: false, due: '2020-02-01' }] });
  const b = makePostmortem({ id: 'b', date: '2020-06-01', causes: ['global-rollout', 'expired-certificate'], items: [{ done: true, due: '2020-07-01' }] });
  const c = makePostmortem({ id: 'c', date: '2021-01-01', causes: ['expired-certificate'] });
  const links = linkPostmortems([c, a, b]);

  it('lists, per cause, the earlier incidents with their remediation then, and the later ones', () => {
    expect(recurrences(b, links).map((r) => ({ cause: r.cause, earlier: r.earlier.map((e) => [e.postmortem.id, e.remediation]), later: ids(r.later) }))).toEqual([
      { cause: 'global-rollout', earlier: [['a', { total: 1, unfinished: 1, stillOpen: 1 }]], later: [] },
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
