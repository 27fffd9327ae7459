import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkPostmortems, WHILE_OPEN_KEPT } from '../src/analysis/linking.ts';
import type { KnowledgeBase, Postmortem } from '../src/knowledge-base/index.ts';
import { outputFile, plan, type PreviousBuild } from '../src/site/incremental.ts';
import { catalog } from './helpers/catalog.ts';
import { makePostmortem } from './helpers/postmortems.ts';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-plan-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** The plan of a site of `incidents`, and the previous build it would leave (every page written). */
async function planned(incidents: Postmortem[], previous?: PreviousBuild) {
  const kb = { audience: 'internal', catalog } as unknown as KnowledgeBase;
  const made = plan({ kb, today: '2026-11-22', base: '/', incidents, links: linkPostmortems(incidents), look: {} as never }, 'code', previous);
  const dir = path.join(tmp, String(Math.random()).slice(2));
  for (const address of made.pages.keys()) {
    await mkdir(path.dirname(path.join(dir, outputFile(address))), { recursive: true });
    await writeFile(path.join(dir, outputFile(address)), '');
  }
  return { made, next: { dir, pages: Object.fromEntries(made.pages) } satisfies PreviousBuild };
}

const words = (n: number) => ({ title: `Zq${n}xa`, summary: `Ks${n}pl.`, rootCause: `Rt${n}mv.` });

describe('the plan of an incremental build', () => {
  it('renders again a page whose count of earlier incidents still open changed beyond the ones it lists', async () => {
    // More earlier incidents of the cause, all with remediation open, than a page lists.
    const earlier = (open: (n: number) => boolean) =>
      Array.from({ length: 2 * WHILE_OPEN_KEPT + 5 }, (_, n) =>
        makePostmortem({
          id: `early-${n}`,
          date: `2020-01-${String(n + 1).padStart(2, '0')}`,
          // Words of its own, so that no two read alike (similar incidents are listed too).
          ...words(n),
          items: [open(n) ? { done: false, due: '2030-01-01' } : { done: true, due: '2020-06-01' }],
        }),
      );
    const later = makePostmortem({ id: 'later', date: '2021-01-01', ...words(99) });
    const first = await planned([...earlier(() => true), later]);
    // The oldest closes its remediation before the later incident: one fewer still open, the same nearest ones listed.
    const { made } = await planned([...earlier((n) => n > 0), later], first.next);
    expect(made.render.has('/incidents/later/')).toBe(true);
    expect(made.render.has(`/incidents/early-${2 * WHILE_OPEN_KEPT + 4}/`)).toBe(false);
  });

  it('renders again the exports and the lists when an incident\'s start moves but its first timeline entry does not', async () => {
    // Lists and "recurred while open" go by when impact started, the `[start]` entry.
    const a = makePostmortem({ id: 'a', date: '2024-03-02', start: '05:00', ...words(1), items: [{ done: false, due: '2030-01-01' }] });
    const b = (start: string, end: string) =>
      makePostmortem({
        id: 'b',
        date: '2024-03-02',
        ...words(2),
        timeline: ['2024-03-02 01:00 UTC — A deploy starts.', `2024-03-02 ${start} UTC — [start] Impact begins.`, `2024-03-02 ${end} UTC — [resolved] Impact ends.`],
      });
    const first = await planned([a, b('02:00', '03:00')]);
    // B now starts after A, whose remediation is open: B recurred while it was.
    const { made } = await planned([a, b('09:00', '10:00')], first.next);
    for (const address of ['/api/incidents.json', '/incidents.csv', '/incidents/a/', '/incidents/b/']) expect(made.render.has(address), address).toBe(true);
  });
});
