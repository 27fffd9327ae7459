/**
 * Browsing a knowledge base too long for one page: /incidents/ lists the newest BROWSE_MAX
 * incidents, and its filters hand over to the search page, which filters all of them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKnowledgeBase } from '../src/bench/generate.ts';
import { whole } from '../src/site/figures.ts';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { launch } from '../src/tools/chromium.ts';
import { serve, type Served } from '../src/site/static-server.ts';
import { buildSite } from './setup/sites.ts';

let dir: string;
let browser: Browser;
let site: Served;
let published: { severity: string; year: string }[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hindsight-browse-'));
  await writeKnowledgeBase(path.join(dir, 'kb'), { count: 520, seed: 3 });
  await buildSite(path.join(dir, 'kb'), path.join(dir, 'site'), { env: { HINDSIGHT_CACHE_DIR: 'off' } });
  const kb = await loadKnowledgeBase('kb', { cwd: dir });
  published = kb.postmortems.filter((p) => p.data.status === 'published').map((p) => ({ severity: p.data.severity, year: p.data.date.slice(0, 4) }));
  [browser, site] = await Promise.all([launch(), serve(path.join(dir, 'site'))]);
}, 120_000);
afterAll(async () => {
  await Promise.all([browser?.close(), site?.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('a long knowledge base', () => {
  it('lists the newest 500 incidents, and filters all of them on the search page', async () => {
    expect(published.length).toBeGreaterThan(500);
    const page = await browser.newPage();
    await page.goto(`${site.url}/incidents/`);
    expect(await page.locator('.incident-list > li').count()).toBe(500);
    expect(await page.locator('.results-status').textContent()).toBe(`The newest 500 of ${whole(published.length)} incidents; filters and search find all of them, and cause and service pages list theirs.`);

    const severity = published[0]!.severity;
    await page.selectOption('select[name=severity]', severity);
    await page.waitForURL(`${site.url}/search/?severity=${severity}`);
    const matching = published.filter((p) => p.severity === severity).length;
    await expect.poll(() => page.locator('[data-status]').textContent()).toContain(`${matching} incidents match`);

    // A filtered address of the browse page (from a bookmark) lands on the search page too.
    const year = published[0]!.year;
    await page.goto(`${site.url}/incidents/?year=${year}`);
    await page.waitForURL(`${site.url}/search/?year=${year}`);
    await page.close();
  });
});
