/**
 * Measures a search page in headless Chromium, as a visitor would meet it: the built site
 * served with gzip, a fresh browser context (cold cache) per run, the time from navigation
 * start to the first `[data-results] li` (recorded in the page by a MutationObserver), and
 * the bytes on the wire of every request the search made. One untimed warm-up run, then the
 * median of three.
 */
import type { Browser } from 'playwright-core';
import { serve, type SentRequest } from '../site/static-server.ts';

export const RESULT_SELECTOR = '[data-results] li';

export interface SearchRequest extends SentRequest {
  /** False for what the page itself needs whatever it shows: its HTML, CSS and icon. */
  counted: boolean;
}

export interface SearchRun {
  firstResultMs: number;
  bytes: number;
  results: number;
  /** What the page's `[data-status]` said once done, e.g. how many results it found. */
  status: string;
  requests: SearchRequest[];
}

export interface SearchMeasurement {
  url: string;
  /** Medians of the runs. */
  firstResultMs: number;
  bytes: number;
  results: number;
  status: string;
  runs: SearchRun[];
}

declare global {
  interface Window {
    __benchFirstResult?: number;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface SearchOptions {
  /** Path and query of the page, e.g. `/search/?q=a+b`. */
  page: string;
  runs?: number;
  /** Where to save a screenshot of the last run's page, if anywhere. */
  screenshot?: string;
}

export async function measureSearch(browser: Browser, site: string, { page: address, runs = 3, screenshot }: SearchOptions): Promise<SearchMeasurement> {
  const server = await serve(site, { gzip: true });
  try {
    const pagePath = decodeURIComponent(new URL(address, server.url).pathname);
    const once = async (last: boolean): Promise<SearchRun> => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.addInitScript((selector: string) => {
          const observer = new MutationObserver(() => {
            if (window.__benchFirstResult === undefined && document.querySelector(selector)) {
              window.__benchFirstResult = performance.now();
              observer.disconnect();
            }
          });
          observer.observe(document, { childList: true, subtree: true });
        }, RESULT_SELECTOR);
        server.requests.length = 0;
        await page.goto(`${server.url}${address}`, { waitUntil: 'commit' });
        await page.waitForFunction(() => window.__benchFirstResult !== undefined, undefined, { timeout: 300_000, polling: 50 });
        const firstResultMs = await page.evaluate(() => window.__benchFirstResult!);
        // Whatever the page still fetches for the results it shows counts too.
        await page.waitForLoadState('networkidle');
        const results = await page.locator(RESULT_SELECTOR).count();
        const status = ((await page.locator('[data-status]').first().textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim();
        if (last && screenshot) await page.screenshot({ path: screenshot, fullPage: false });
        const requests = server.requests.map((r) => ({
          ...r,
          counted: r.path !== pagePath && !r.type.startsWith('text/css') && !/(^|\/)favicon\.[a-z]+$/.test(r.path),
        }));
        const bytes = requests.filter((r) => r.counted).reduce((sum, r) => sum + r.bytes, 0);
        return { firstResultMs, bytes, results, status, requests };
      } finally {
        await context.close();
      }
    };
    await once(false); // warm-up: the server's compression cache and the OS file cache
    const measured: SearchRun[] = [];
    for (let i = 0; i < runs; i++) measured.push(await once(i === runs - 1));
    return {
      url: address,
      firstResultMs: median(measured.map((r) => r.firstResultMs)),
      bytes: median(measured.map((r) => r.bytes)),
      results: median(measured.map((r) => r.results)),
      status: measured.at(-1)?.status ?? '',
      runs: measured,
    };
  } finally {
    await server.close();
  }
}
