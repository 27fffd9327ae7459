/** `hindsight stats` prints the figures the trends and actions pages show. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, inject, it } from 'vitest';
import { run } from '../src/cli/main.ts';
import { elements } from './helpers/html.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { shipped, buildDate } = inject('sites');

type Node = DefaultTreeAdapterMap['childNode'];
const text = (node: Node): string => ('value' in node && node.nodeName === '#text' ? node.value : 'childNodes' in node ? node.childNodes.map(text).join('') : '');

/** The body rows of the table in the section labelled `id`, as cell texts. */
async function tableOf(page: string, id: string): Promise<string[][]> {
  const document = parse(await readFile(path.join(shipped, page, 'index.html'), 'utf8'));
  const section = [...elements(document)].find((e) => e.attrs.some((a) => a.name === 'aria-labelledby' && a.value === id))!;
  const tbody = [...elements(section)].find((e) => e.tagName === 'tbody')!;
  return [...elements(tbody)].filter((e) => e.tagName === 'tr').map((tr) => tr.childNodes.filter((c) => 'tagName' in c).map((c) => text(c).trim()));
}

describe('hindsight stats', () => {
  it('prints the same figures as the trends and actions pages of the shipped site', async () => {
    const result = await run(['stats', '--json', '--today', buildDate], ROOT, false);
    expect(result.status).toBe(0);
    const stats = JSON.parse(result.stdout!);
    expect(stats.incidents).toBe(14);
    expect((await tableOf('trends', 'by-trigger')).map(([k, v]) => [k, Number(v)])).toEqual(Object.entries(stats.by_trigger));
    const quarters = await tableOf('trends', 'by-quarter');
    const fromStats = [...Map.groupBy(stats.by_quarter as { quarter: string; count: number }[], (r) => r.quarter)].map(([q, rows]) => [q, rows.reduce((n, r) => n + r.count, 0)]);
    expect(quarters.map((row) => [row[0], Number(row.at(-1))])).toEqual(fromStats);
    expect((await tableOf('trends', 'recurrent')).map(([cause, n]) => Number(n))).toEqual(stats.recurrent_causes.map((r: { incidents: string[] }) => r.incidents.length));
    expect(await tableOf('actions', 'overdue')).toHaveLength(stats.overdue.length);
    expect(stats.actions.overdue).toBe(stats.overdue.length);
  });

  it('counts only incidents since a date, and refuses a date that is not one', async () => {
    const since = JSON.parse((await run(['stats', '--json', '--today', buildDate, '--since', '2021-01-01'], ROOT, false)).stdout!);
    expect(since.incidents).toBe(5);
    expect(await run(['stats', '--since', '2021-13-01'], ROOT, false)).toEqual({ status: 2, stderr: 'hindsight: --since "2021-13-01" is not a date; write it YYYY-MM-DD, like 2024-01-01.\n' });
  });

  it('prints a weekly review in the terminal, with content text made safe', async () => {
    const result = await run(['stats', '--content', 'test/fixtures/hostile', '--today', '2024-07-01'], ROOT, false);
    expect(result.stdout).not.toMatch(/\u001b/);
    expect(result.stdout).toMatchInlineSnapshot(`
      "Hostile <script>window.__pwned = 'settings'</script> KB: 2 incidents from 1 May 2024 to 1 Jun 2024, as of 1 Jul 2024
        near misses 0 · causes seen twice or more 2 · recurred while a fix was open 1

      Incidents per quarter
        quarter  SEV1  SEV3  total
        2024-Q2     1     1      2

      By trigger
        trigger        incidents
        code-deploy            1
        config-change          1

      By cause category
        category           incidents
        Change management          2
        Testing                    2

      Most recurrent causes
        cause                                                 incidents
        A plain cause \\u001b[2J\\u001b]0;owned\\u0007                   2
        <img src=x onerror="window.__pwned = 'cause'"> cause          2

      Blast radius (none: near misses)
        scope    postmortems
        region             1
        service            1

      Durations (from [start]; medians and 90th percentiles)
                                       count  median  90th pct.
        Time to detect                     0       —          —
        Time to mitigate                   0       —          —
        Time to resolve                    2  45 min     57 min
        Time to first customer update      0       —          —

      Remediation: 2 items · 1 done (50%) · 1 open · 1 overdue

      Overdue actions, most overdue first
        days  due         owner               action                                 incident
          30  2024-06-01  =cmd|' /C calc'!A0  Escape [everything](vbscript:msgbox).  2024-05-01-hostile
      "
    `);
  });
});
