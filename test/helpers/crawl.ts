/**
 * A reader's crawl of a served site in Chromium: from `start`, every page that a link reaches
 * under it is visited, every other file it links to (feed, exports, icon) is fetched, every
 * request the pages make is recorded, and a search is run from the search page and from the
 * home page's box, its results followed. Whatever failed or answered 4xx/5xx is reported, but
 * the deliberate visit to a missing page.
 */
import type { Browser, Page } from 'playwright-core';

export interface Crawl {
  /** Pages visited (addresses ending in `/`), the missing page included. */
  visited: string[];
  /** How many pages were visited. */
  pages: number;
  /** Other files linked from the pages (feed, exports, icon), each fetched once. */
  files: string[];
  /** Requests the pages made, and the files fetched. */
  requests: string[];
  /** How many results the search page and the home page's box showed, together. */
  searchResults: number;
  /** Everything that failed: requests, page errors, console errors. */
  broken: string[];
}

export async function crawl(browser: Browser, start: string, { search }: { search?: string } = {}): Promise<Crawl> {
  const origin = new URL(start).origin;
  const missing = new URL('no-such-page/', start).href;
  const page = await browser.newPage();
  const requests: string[] = [];
  const broken: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('requestfailed', (request) => broken.push(`${request.url()} failed (${request.failure()?.errorText}) on ${page.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && response.url() !== missing) broken.push(`${response.url()} answered ${response.status()} on ${page.url()}`);
  });
  page.on('pageerror', (error) => broken.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && !message.text().includes('404') && broken.push(`${page.url()}: console: ${message.text()}`));

  const queue = [start, missing];
  const visited = new Set<string>();
  const fetched = new Set<string>();
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (visited.has(url)) continue;
    visited.add(url);
    const response = await page.goto(url);
    await page.waitForLoadState('networkidle');
    if (response?.status() !== (url === missing ? 404 : 200)) broken.push(`${url} answered ${response?.status()}`);
    const addresses = await page.locator('a[href], link[href]').evaluateAll((links) => links.map((l) => (l as HTMLAnchorElement | HTMLLinkElement).href));
    for (const address of addresses) {
      const target = new URL(address);
      if (target.origin !== origin) continue;
      target.hash = '';
      target.search = '';
      if (!target.href.startsWith(start)) broken.push(`${target.href}, linked from ${url}, is outside ${start}`);
      else if (target.pathname.endsWith('/')) queue.push(target.href);
      else if (!fetched.has(target.href)) {
        fetched.add(target.href);
        requests.push(target.href);
        const status = (await fetch(target)).status;
        if (status !== 200) broken.push(`${target.href} answered ${status}, linked from ${url}`);
      }
    }
  }

  let searchResults = 0;
  if (search !== undefined) {
    // From the search page, and from the home page's box as a reader types.
    await page.goto(new URL(`search/?q=${encodeURIComponent(search)}`, start).href);
    searchResults += await followResults(page, '[data-results]', start, broken);
    await page.goto(start);
    const box = page.getByLabel('Search every postmortem');
    await box.focus();
    await box.fill(search);
    searchResults += await followResults(page, '[data-searchbox-results]', start, broken);
  }
  await page.close();
  return { visited: [...visited], pages: visited.size, files: [...fetched], requests, searchResults, broken };
}

/** Waits for the results in `list`, checks that each links to a page under `start`, and counts them. */
async function followResults(page: Page, list: string, start: string, broken: string[]): Promise<number> {
  const links = page.locator(`${list} > li .title a`);
  await links.first().waitFor({ timeout: 10_000 }).catch(() => broken.push(`no result in ${list} on ${page.url()}`));
  const found = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  for (const link of found) {
    if (!link.startsWith(start)) broken.push(`search result ${link} is outside ${start}`);
    else if ((await fetch(link)).status !== 200) broken.push(`search result ${link} does not answer 200`);
  }
  return found.length;
}
