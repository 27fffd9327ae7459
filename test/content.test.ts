/** The shipped knowledge base: valid, sourced, and its causes really recur. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const kb = await loadKnowledgeBase('content', { cwd: ROOT });

describe('shipped content', () => {
  it('validates without a single diagnostic, and every postmortem is published and sourced', () => {
    expect(kb.diagnostics).toEqual([]);
    expect(kb.postmortems.length).toBeGreaterThanOrEqual(14);
    for (const p of kb.postmortems) {
      expect(p.data.status, p.id).toBe('published');
      expect(p.data.sources?.length, p.id).toBeGreaterThan(0);
    }
  });

  it('has the Azure Storage outage of 2014 as its flagship, with its public times', () => {
    const azure = kb.postmortems.find((p) => p.id === '2014-11-19-azure-storage')!;
    expect(azure.timeline.find((e) => e.marker === 'start')?.time).toBe('2014-11-19T00:51:00Z');
    expect(azure.timeline.find((e) => e.marker === 'mitigated')?.time).toBe('2014-11-19T11:45:00Z');
    expect(azure.durations.minutes_to_mitigate).toBe(654);
    expect(azure.data.causes).toEqual(expect.arrayContaining(['global-rollout', 'status-page-shared-fate']));
  });

  it('lets every cause of the flagship recur in another incident', () => {
    const azure = kb.postmortems.find((p) => p.id === '2014-11-19-azure-storage')!;
    for (const cause of azure.data.causes) {
      const others = kb.postmortems.filter((p) => p !== azure && p.data.causes.includes(cause));
      expect(others.length, cause).toBeGreaterThan(0);
    }
  });

  it('covers the recurring causes the collection is about', () => {
    const count = (cause: string) => kb.postmortems.filter((p) => p.data.causes.includes(cause)).length;
    for (const cause of ['global-rollout', 'expired-certificate', 'date-time-arithmetic', 'status-page-shared-fate', 'unguarded-operator-command', 'untested-backups']) {
      expect(count(cause), cause).toBeGreaterThanOrEqual(cause === 'untested-backups' ? 1 : 2);
    }
  });
});
