/**
 * Issue 18, "remediation that tells the truth", on copies of the shipped content: when an item
 * was finished (`done:`), items decided against (`declined:`) and deadlines per severity
 * (`action_deadlines`), through the links, the exports, `stats` and the site.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionRows } from '../src/analysis/action-items.ts';
import { actionRecords, incidentRecords, incidentsCsv } from '../src/analysis/exports.ts';
import { linkPostmortems } from '../src/analysis/linking.ts';
import { trends } from '../src/analysis/metrics.ts';
import { stats } from '../src/cli/stats.ts';
import { validate } from '../src/cli/validate.ts';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { buildSite } from './setup/sites.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const LEAP_DAY = 'postmortems/2012/2012-02-29-azure-leap-day.md';
const STORAGE = 'postmortems/2014/2014-11-19-azure-storage.md';
const TODAY = '2026-11-22';
const env = { HINDSIGHT_CACHE_DIR: 'off' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hindsight-remediation-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A copy of the shipped content, with `edit` applied to the text of the leap-day postmortem. */
async function copy(name: string, edit: (text: string) => string): Promise<string> {
  const content = path.join(dir, name, 'content');
  await cp(path.join(ROOT, 'content'), content, { recursive: true });
  const file = path.join(content, LEAP_DAY);
  const before = await readFile(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  await writeFile(file, after);
  return content;
}

/** Every open item of the leap-day outage closed, on `day`. */
const doneOn = (day: string) => (text: string) => text.replace(/^- \[ \] (.*), type: (\w+)\)$/gm, `- [x] $1, type: $2, done: ${day})`);

async function load(content: string) {
  const kb = await loadKnowledgeBase(content, { cwd: path.dirname(content), today: TODAY });
  expect(kb.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const published = kb.postmortems.filter((p) => p.data.status === 'published');
  return { kb, published, links: linkPostmortems(published) };
}
const STORAGE_ID = path.basename(STORAGE, '.md');
const LEAP_ID = path.basename(LEAP_DAY, '.md');
const earlierWhileOpen = (links: ReturnType<typeof linkPostmortems>) => [...new Set((links.whileOpen.get(STORAGE_ID) ?? []).map((w) => w.earlier.id))];

describe('when an item was finished', () => {
  it('as shipped, Azure 2014 recurred while Azure 2012 had open items', async () => {
    const { links, published } = await load(path.join(ROOT, 'content'));
    expect(earlierWhileOpen(links)).toContain(LEAP_ID);
    expect(incidentRecords(published, TODAY, links).find((r) => r.id === STORAGE_ID)!.recurred_while_open).toContain(LEAP_ID);
  });

  it('marking Azure 2012 done before November 2014 clears the flag, marking it done in 2015 keeps it', async () => {
    const early = await load(await copy('early', doneOn('2013-06-01')));
    expect(earlierWhileOpen(early.links)).not.toContain(LEAP_ID);
    const earlyRecord = incidentRecords(early.published, TODAY, early.links).find((r) => r.id === STORAGE_ID)!;
    expect(earlyRecord.recurred_while_open).not.toContain(LEAP_ID);

    const late = await load(await copy('late', doneOn('2015-03-01')));
    expect(earlierWhileOpen(late.links)).toContain(LEAP_ID);
    const records = incidentRecords(late.published, TODAY, late.links);
    expect(records.find((r) => r.id === STORAGE_ID)!.recurred_while_open).toContain(LEAP_ID);
    expect(records.find((r) => r.id === LEAP_ID)!.actions).toEqual({ open: 0, done: 3, overdue: 0, declined: 0 });
    // The CSV carries the same ids, joined with `; `.
    const row = incidentsCsv(records).split('\r\n').find((line) => line.startsWith(`${STORAGE_ID},`))!;
    expect(row.endsWith(records.find((r) => r.id === STORAGE_ID)!.recurred_while_open.join('; '))).toBe(true);
  });

  it('refuses a done date after the build date, at its place', async () => {
    const content = await copy('future', doneOn('2999-01-01'));
    const result = await validate({ cwd: path.dirname(content), content: 'content', format: 'json', env: { ...env, SOURCE_DATE_EPOCH: String(Date.parse(`${TODAY}T12:00:00Z`) / 1000) } });
    expect(result.status).toBe(1);
    const found = JSON.parse(result.stdout!).filter((d: { rule: string }) => d.rule === 'remediation-done');
    const lines = (await readFile(path.join(content, LEAP_DAY), 'utf8')).split('\n');
    const items = lines.flatMap((line, i) => (line.includes('done: 2999-01-01') ? [`content/${LEAP_DAY}:${i + 1}:${line.indexOf('done:') + 1}`] : []));
    expect(items).toHaveLength(3);
    expect(found.map((d: { file: string; line: number; column: number }) => `${d.file}:${d.line}:${d.column}`)).toEqual(items);
  });
});

describe('a declined item', () => {
  const decline = (text: string) =>
    text.replace(/^- \[ \] (Make the Service Dashboard .*), type: process\)$/m, '- [x] $1, type: process, declined: replaced by a status page on separate infrastructure)');
  let content: string;
  beforeAll(async () => {
    content = await copy('declined', decline);
  });

  it('is counted as declined, not done or open, in the links, the exports and the trends', async () => {
    const { kb, published, links } = await load(content);
    const leap = incidentRecords(published, TODAY, links).find((r) => r.id === LEAP_ID)!;
    expect(leap.actions).toEqual({ open: 2, done: 0, overdue: 2, declined: 1 });
    const records = actionRecords(actionRows(published, TODAY)).filter((r) => r.incident === LEAP_ID);
    expect(records.map((r) => r.state)).toEqual(['overdue', 'overdue', 'declined']);
    expect(records.at(-1)!.declined).toBe('replaced by a status page on separate infrastructure');
    const t = trends(published, kb.catalog, { today: TODAY, links });
    expect(t.actions.declined).toBe(1);
    // Azure 2014 shares a cause (slow customer communication) with the declined item's incident.
    expect(links.afterDeclined.get(STORAGE_ID)?.map((w) => w.earlier.id)).toContain(LEAP_ID);
    expect(t.recurredAfterDeclined.some((r) => r.incident.id === STORAGE_ID)).toBe(true);
  });

  it('is counted as declined by stats', async () => {
    const cwd = path.dirname(content);
    const json = JSON.parse((await stats({ cwd, content: 'content', today: TODAY, json: true, env })).stdout!);
    expect(json.actions.declined).toBe(1);
    expect(json.recurred_after_declined.map((r: { incident: string }) => r.incident)).toContain(STORAGE_ID);
    const text = (await stats({ cwd, content: 'content', today: TODAY, env })).stdout;
    expect(text).toMatch(/· 1 declined\n/);
    expect(text).toMatch(/recurred after a fix was declined \d+/);
  });

  it('is shown as declined on the site, with deadlines per severity', { timeout: 240_000 }, async () => {
    await writeFile(path.join(content, 'hindsight.yml'), `${await readFile(path.join(content, 'hindsight.yml'), 'utf8')}\naction_deadlines:\n  SEV1: 28\n  SEV2: 56\n`);
    const out = path.join(dir, 'declined-site');
    await buildSite(content, out, { env, today: TODAY });
    const page = (address: string) => readFile(path.join(out, address, 'index.html'), 'utf8');
    const incident = await page(`incidents/${LEAP_ID}`);
    expect(incident).toContain('Declined: replaced by a status page on separate infrastructure');
    const storage = await page(`incidents/${STORAGE_ID}`);
    expect(storage).toContain('Recurred after a fix was declined');
    const actions = await page('actions');
    expect(actions).toMatch(/<dt>Declined<\/dt><dd>1<\/dd>/);
    expect(actions).toContain('id="declined"');
    expect(actions).toContain('Met deadline');
    const api = JSON.parse(await readFile(path.join(out, 'api/incidents.json'), 'utf8'));
    expect(api.find((r: { id: string }) => r.id === LEAP_ID).actions.declined).toBe(1);
    expect(api.find((r: { id: string }) => r.id === STORAGE_ID).recurred_while_open).toContain(LEAP_ID);
  });
});
