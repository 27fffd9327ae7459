/**
 * The built site in real headless Chromium (Debian's, through playwright-core): a reader's
 * journey, filters in the URL, search input that lunr would reject, accessibility (axe-core),
 * narrow screens, no JavaScript, print, and a hostile knowledge base where nothing may run.
 */
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { launch } from '../src/tools/chromium.ts';
import { serve, type Served } from '../src/site/static-server.ts';

const { shipped, hostile } = inject('sites');
const kb = await loadKnowledgeBase('content', { cwd: process.cwd() });
let browser: Browser;
let site: Served;
let bad: Served;

beforeAll(async () => {
  [browser, site, bad] = await Promise.all([launch(), serve(shipped), serve(hostile)]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), site?.close(), bad?.close()]);
});

/** A page that records console errors, uncaught exceptions, dialogs and every request. */
async function open(options: Parameters<Browser['newPage']>[0] = {}) {
  const page = await browser.newPage(options);
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  return { page, problems, requests };
}

const PAGE_TYPES = [
  '/',
  '/incidents/',
  '/incidents/2014-11-19-azure-storage/',
  '/causes/',
  '/causes/global-rollout/',
  '/services/',
  '/services/azure-storage/',
  '/search/?q=leap+day',
  '/trends/',
  '/actions/',
  '/no-such-page/',
];

async function results(page: Page) {
  return page.locator('[data-results] > li .title').allTextContents();
}

describe('a reader', () => {
  it('goes from home to search to an incident to a cause and back', async () => {
    const { page, problems, requests } = await open();
    await page.goto(`${site.url}/`);
    await page.waitForLoadState('networkidle');
    expect(requests).not.toContain('/search/manifest.json');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/search/manifest.json')), page.getByLabel('Search every postmortem').focus()]);
    await page.getByLabel('Search every postmortem').fill('leap day');
    await expect.poll(() => page.locator('[data-searchbox-results] > li').count()).toBeGreaterThan(0);
    await page.getByLabel('Search every postmortem').press('Enter');
    await page.waitForURL(/\/search\/\?q=leap\+day$/);
    await expect.poll(() => results(page)).not.toEqual([]);
    expect((await results(page))[0]).toBe(kb.postmortems.find((p) => p.id === '2012-02-29-azure-leap-day')!.data.title);
    expect(await page.locator('[data-results] > li').first().locator('mark').count()).toBeGreaterThan(0);

    await page.locator('[data-results] > li .title a').first().click();
    await page.waitForURL(/\/incidents\/2012-02-29-azure-leap-day\/$/);
    await page.locator('header .tags a[href="/causes/date-time-arithmetic/"]').click();
    await page.waitForURL(/\/causes\/date-time-arithmetic\/$/);
    expect(await page.locator('h1').textContent()).toBe(kb.catalog.causes!.get('date-time-arithmetic')!.title);
    await page.goBack();
    await page.waitForURL(/\/incidents\/2012-02-29-azure-leap-day\/$/);
    await page.goBack();
    await page.waitForURL(/\/search\/\?q=leap\+day$/);
    expect(await page.getByLabel('Search', { exact: true }).inputValue()).toBe('leap day');
    await expect.poll(() => results(page)).not.toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('filters the incident list, and the filters live in the URL', async () => {
    const { page, problems } = await open();
    await page.goto(`${site.url}/incidents/`);
    const visible = () => page.locator('.incident-list > li:visible').count();
    expect(await visible()).toBe(kb.postmortems.length);
    await page.getByLabel('Severity').selectOption('SEV2');
    await page.waitForURL(/severity=SEV2/);
    const sev2 = kb.postmortems.filter((p) => p.data.severity === 'SEV2').length;
    expect(await visible()).toBe(sev2);
    expect(await page.locator('[data-count]').textContent()).toBe(`${sev2} of ${kb.postmortems.length} incidents`);

    await page.goto(`${site.url}/incidents/?year=2017&cause=unguarded-operator-command`);
    const expected = kb.postmortems.filter((p) => p.data.date.startsWith('2017') && p.data.causes.includes('unguarded-operator-command'));
    expect(await visible()).toBe(expected.length);
    expect(await page.getByLabel('Year').inputValue()).toBe('2017');

    await page.goto(`${site.url}/search/?severity=SEV2`);
    await expect.poll(() => results(page)).toEqual(kb.postmortems.filter((p) => p.data.severity === 'SEV2').map((p) => p.data.title));

    await page.goto(`${site.url}/search/?q=outage&year=2021`);
    await expect.poll(() => results(page)).not.toEqual([]);
    const titles2021 = kb.postmortems.filter((p) => p.data.date.startsWith('2021')).map((p) => p.data.title);
    for (const title of await results(page)) expect(titles2021).toContain(title);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('can type anything into search: lunr syntax is read as plain words', async () => {
    const { page, problems } = await open();
    for (const query of ['foo:', '~', '^', '"unbalanced', 'leap:day', '+-*', '</mark><script>alert(1)</script>']) {
      await page.goto(`${site.url}/search/?q=${encodeURIComponent(query)}`);
      await expect.poll(() => page.locator('[data-status]').textContent()).toMatch(/match/);
    }
    await page.goto(`${site.url}/search/?q=${encodeURIComponent('leap:day')}`);
    await expect.poll(() => results(page)).toContain(kb.postmortems.find((p) => p.id === '2012-02-29-azure-leap-day')!.data.title);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('every page type', () => {
  it('has no console error and no serious or critical axe-core violation, in light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, problems } = await open({ colorScheme });
      for (const address of PAGE_TYPES) {
        await page.goto(`${site.url}${address}`);
        await page.waitForLoadState('networkidle');
        await page.addScriptTag({ content: axe.source });
        const violations = await page.evaluate(async () => {
          const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
          return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        });
        expect(violations, `${colorScheme} ${address}`).toEqual([]);
      }
      expect(problems.filter((p) => !p.includes('404')), colorScheme).toEqual([]);
      await page.close();
    }
  }, 60_000);

  it('fits a 360 px wide screen without sideways scrolling', async () => {
    const { page } = await open({ viewport: { width: 360, height: 740 } });
    for (const address of PAGE_TYPES) {
      await page.goto(`${site.url}${address}`);
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth), address).toBeLessThanOrEqual(360);
    }
    await page.close();
  });

  it('reads without JavaScript, search aside', async () => {
    const { page } = await open({ javaScriptEnabled: false });
    await page.goto(`${site.url}/incidents/`);
    expect(await page.locator('.incident-list > li:visible').count()).toBe(kb.postmortems.length);
    await page.goto(`${site.url}/incidents/2014-11-19-azure-storage/`);
    const azure = kb.postmortems.find((p) => p.id === '2014-11-19-azure-storage')!;
    expect(await page.locator('.timeline > li').count()).toBe(azure.timeline.length);
    expect(await page.locator('#before ~ h3, #before + h3').count()).toBeGreaterThan(0);
    await page.goto(`${site.url}/search/?q=leap`);
    expect(await page.locator('noscript').textContent()).toContain('needs JavaScript');
    await page.close();
  });

  it('prints an incident without navigation or forms', async () => {
    const { page } = await open();
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${site.url}/incidents/2014-11-19-azure-storage/`);
    expect(await page.locator('.site-header nav').isVisible()).toBe(false);
    expect(await page.locator('.timeline').isVisible()).toBe(true);
    await page.close();
  });
});

describe('leadership views', () => {
  it('draws every trends chart as a labelled SVG with its data table, without JavaScript', async () => {
    const { page, problems } = await open({ javaScriptEnabled: false });
    await page.goto(`${site.url}/trends/`);
    const charts = page.locator('figure.chart svg[role="img"]');
    expect(await charts.count()).toBe(8);
    for (const chart of await charts.all()) {
      expect(await chart.locator('title').textContent()).toBeTruthy();
      expect(await chart.locator('xpath=ancestor::section[1]//table').count()).toBe(1);
    }
    expect(await page.locator('text=Recurred while open').count()).toBeGreaterThan(0);
    await page.goto(`${site.url}/actions/`);
    const overdue = await page.locator('#overdue + .table-wrap tbody tr').count();
    const records = (await (await fetch(`${site.url}/api/actions.json`)).json()) as { state: string }[];
    expect(overdue).toBe(records.filter((r) => r.state === 'overdue').length);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a hostile knowledge base', () => {
  it('runs nothing from its content, on any page, in search results or in the feed', async () => {
    const { page, problems } = await open();
    const pages = ['/', '/incidents/', '/incidents/2024-05-01-hostile/', '/incidents/2024-06-01-plain/', '/causes/', '/causes/xss-cause/', '/services/', '/services/svg-service/', '/search/?q=quotes', '/trends/', '/actions/', '/nope/'];
    for (const address of pages) {
      await page.goto(`${bad.url}${address}`);
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), address).toBeUndefined();
    }
    await page.goto(`${bad.url}/incidents/2024-05-01-hostile/`);
    expect(await page.locator('h1').textContent()).toBe(`<script>window.__pwned = 'title'</script> & "quotes" ]]> --> 'pwned'`);
    await page.goto(`${bad.url}/search/?q=quotes`);
    await expect.poll(() => results(page)).toEqual([`<script>window.__pwned = 'title'</script> & "quotes" ]]> --> 'pwned'`]);
    expect(await page.locator('[data-results] script, [data-results] img').count()).toBe(0);

    const feed = await page.evaluate(async () => {
      const xml = new DOMParser().parseFromString(await (await fetch('/feed.xml')).text(), 'application/xml');
      return { error: xml.querySelector('parsererror')?.textContent ?? null, titles: [...xml.querySelectorAll('entry > title')].map((t) => t.textContent) };
    });
    expect(feed).toEqual({ error: null, titles: ['A plain incident with the same cause', `<script>window.__pwned = 'title'</script> & "quotes" ]]> --> 'pwned'`] });
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    await page.close();
  });
});
