/**
 * A site served under a path, as a project site is (`https://acme.github.io/postmortems/`): the
 * shipped knowledge base built with `--base /postmortems/` and served only under that path, with
 * links written in a body to an incident, a cause, a service and an image. Chromium visits every
 * page of every type, follows every link that stays on the site and records every request the
 * pages make, searches from the search page and from the home page's box: nothing may fail or
 * answer 4xx/5xx, but the deliberate visit to a missing page. Then the base as base_url's path,
 * `--base` without base_url, and an incremental build after the base moved.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'parse5';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { launch } from '../src/tools/chromium.ts';
import { serve, type Served } from '../src/site/static-server.ts';
import { crawl } from './helpers/crawl.ts';
import { elements } from './helpers/html.ts';
import { buildSite } from './setup/sites.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PREFIX = '/postmortems/';
const kb = await loadKnowledgeBase('content', { cwd: ROOT });
const AZURE = 'content/postmortems/2014/2014-11-19-azure-storage.md';

let tmp: string;
let browser: Browser;
let server: Served;

/** A copy of the shipped content, changed by `edit` (file path relative to the copy → new text). */
async function contentCopy(name: string, edit: Record<string, (text: string) => string> = {}): Promise<string> {
  const dir = path.join(tmp, name);
  await cp(path.join(ROOT, 'content'), dir, { recursive: true });
  for (const [file, change] of Object.entries(edit)) await writeFile(path.join(dir, file), change(await readFile(path.join(dir, file), 'utf8')));
  return dir;
}

/** Links in the Azure 2014 body, in a timeline entry, a remediation item and a section of their own. */
const withBodyLinks = (text: string) =>
  `${text
    .replace('need manual recovery.', 'need manual recovery, as after [the 2013 outage](/incidents/2013-02-22-azure-storage-certificate/).')
    .replace('report during a storage outage.', 'report during a storage outage ([why](/causes/status-page-shared-fate/)).')
    .trimEnd()}\n\n## Further reading\n\n[Azure Storage](/services/azure-storage/) had [a change go everywhere at once](/causes/global-rollout/#recurrences); so did [others][all].\n\n![Hindsight](/favicon.svg)\n\n[all]: /incidents/\n`;

/** Every HTML file under a folder, as paths relative to it. */
async function htmlFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** The root-relative addresses (`/x`, not `//x`) of a page's href, src and action attributes. */
async function rootRelative(file: string): Promise<string[]> {
  const found: string[] = [];
  for (const element of elements(parse(await readFile(file, 'utf8')))) {
    for (const { name, value } of element.attrs) if (['href', 'src', 'action'].includes(name) && /^\/(?!\/)/.test(value)) found.push(value);
  }
  return found;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-subpath-'));
  const content = await contentCopy('content', { [path.relative('content', AZURE)]: withBodyLinks });
  const stdout = await buildSite(content, path.join(tmp, 'site'), { args: ['--base', PREFIX], env: { HINDSIGHT_CACHE_DIR: 'off' } });
  expect(stdout).not.toMatch(/warning/);
  [browser, server] = await Promise.all([launch(), serve(path.join(tmp, 'site'), { prefix: PREFIX })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([browser?.close(), server?.close()]);
  await rm(tmp, { recursive: true, force: true });
});

describe('a site served under /postmortems/', () => {
  it('has every internal address of every page under the base', async () => {
    const site = path.join(tmp, 'site');
    for (const file of await htmlFiles(site)) {
      expect((await rootRelative(path.join(site, file))).filter((address) => !address.startsWith(PREFIX)), file).toEqual([]);
    }
    const azure = await readFile(path.join(site, 'incidents/2014-11-19-azure-storage/index.html'), 'utf8');
    for (const link of ['href="/postmortems/incidents/2013-02-22-azure-storage-certificate/"', 'href="/postmortems/causes/status-page-shared-fate/"', 'href="/postmortems/services/azure-storage/"', 'href="/postmortems/causes/global-rollout/#recurrences"', 'href="/postmortems/incidents/"', 'src="/postmortems/favicon.svg"']) {
      expect(azure).toContain(link);
    }
    // base_url's host, the base of this build.
    expect(azure).toContain('<link rel="canonical" href="https://hindsight.example.org/postmortems/incidents/2014-11-19-azure-storage/">');
  });

  it('has nothing broken: every page of every type, every link, every request, and a search', async () => {
    const start = `${server.url}${PREFIX}`;
    const result = await crawl(browser, start, { search: 'leap day' });
    const pages = result.visited.map((url) => new URL(url).pathname.slice(PREFIX.length - 1));
    const services = new Set([...kb.catalog.services!.keys(), ...kb.postmortems.flatMap((p) => p.data.blast_radius.services)]);
    const expected = [
      ...['/', '/incidents/', '/causes/', '/services/', '/trends/', '/actions/', '/search/', '/no-such-page/'],
      ...kb.postmortems.map((p) => `/incidents/${p.id}/`),
      ...[...kb.catalog.causes!.keys()].map((id) => `/causes/${id}/`),
      ...[...services].map((id) => `/services/${id}/`),
    ];
    expect(pages.sort()).toEqual(expected.sort());
    for (const file of ['feed.xml', 'api/incidents.json', 'favicon.svg']) expect(result.files).toContain(`${start}${file}`);
    expect(result.requests.length).toBeGreaterThan(result.pages);
    expect(result.requests.filter((url) => url.startsWith(server.url) && !url.startsWith(start))).toEqual([]);
    expect(result.searchResults).toBeGreaterThan(0);
    expect(result.broken).toEqual([]);
    // What the host saw: nothing outside the base, no 4xx or 5xx but the missing page.
    expect(server.requests.filter((r) => r.status >= 400).map((r) => r.path)).toEqual([`${PREFIX}no-such-page/`]);
  }, 120_000);

  it('searches by filters alone from the facets under the base', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await page.goto(`${server.url}${PREFIX}search/?severity=SEV1`);
    const links = page.locator('[data-results] > li .title a');
    const sev1 = kb.postmortems.filter((p) => p.data.severity === 'SEV1');
    await expect.poll(() => links.count()).toBe(sev1.length);
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(sev1.map((p) => `${PREFIX}incidents/${p.id}/`));
    expect(requests).toContain(`${PREFIX}search/facets.json`);
    await page.close();
  });

  it('links its feed entries and its footer under the base', async () => {
    const origin = server.url;
    const feed = await (await fetch(`${origin}${PREFIX}feed.xml`)).text();
    const links = [...feed.matchAll(/<link rel="alternate" type="text\/html" href="([^"]+)"\/>/g)].map((m) => m[1]!);
    expect(links).toEqual(['https://hindsight.example.org/postmortems/', ...kb.postmortems.map((p) => `https://hindsight.example.org/postmortems/incidents/${p.id}/`)]);
    for (const link of links) expect((await fetch(`${origin}${new URL(link).pathname}`)).status, link).toBe(200);
    expect(feed).toContain('<link rel="self" type="application/atom+xml" href="https://hindsight.example.org/postmortems/feed.xml"/>');
    const home = await (await fetch(`${origin}${PREFIX}`)).text();
    expect(home).toContain(`<a href="${PREFIX}feed.xml">Atom feed</a> · <a href="${PREFIX}api/incidents.json">JSON</a>`);
    expect(JSON.parse(await (await fetch(`${origin}${PREFIX}api/incidents.json`)).text())).toHaveLength(kb.postmortems.length);
  });
});

describe('the base of other builds', () => {
  it("is base_url's path, and moving it renders every page again", async () => {
    const content = await contentCopy('handbook', { 'hindsight.yml': (text) => text.replace('https://hindsight.example.org/', 'https://acme.github.io/handbook') });
    const out = path.join(tmp, 'handbook-site');
    const env = { HINDSIGHT_CACHE_DIR: path.join(tmp, 'cache') };
    await buildSite(content, out, { env });
    const home = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(home).toContain('<link rel="canonical" href="https://acme.github.io/handbook/">');
    expect(home).toMatch(/<script type="module" src="\/handbook\/_astro\/[\w.-]+\.js">/);
    expect(await readFile(path.join(out, 'feed.xml'), 'utf8')).toContain(`<id>https://acme.github.io/handbook/incidents/${kb.postmortems[0]!.id}/</id>`);
    for (const file of await htmlFiles(out)) expect((await rootRelative(path.join(out, file))).filter((a) => !a.startsWith('/handbook/')), file).toEqual([]);

    // The same content into the same folder with another base: no page may be left as it was.
    const stdout = await buildSite(content, out, { env, args: ['--base', '/moved/'] });
    expect(stdout).not.toMatch(/unchanged/);
    for (const file of await htmlFiles(out)) expect((await rootRelative(path.join(out, file))).filter((a) => !a.startsWith('/moved/')), file).toEqual([]);
    expect(await readFile(path.join(out, 'incidents/2014-11-19-azure-storage/index.html'), 'utf8')).toContain('<link rel="canonical" href="https://acme.github.io/moved/incidents/2014-11-19-azure-storage/">');
  }, 120_000);

  it('is --base without base_url: no canonical links, and a feed under the base', async () => {
    const content = await contentCopy('no-url', { 'hindsight.yml': (text) => text.replace(/^base_url: .*\n/m, '') });
    const out = path.join(tmp, 'no-url-site');
    await buildSite(content, out, { args: ['--base', 'pm/v2'], env: { HINDSIGHT_CACHE_DIR: 'off' } });
    for (const file of await htmlFiles(out)) {
      const html = await readFile(path.join(out, file), 'utf8');
      expect(html, file).not.toContain('rel="canonical"');
      expect((await rootRelative(path.join(out, file))).filter((a) => !a.startsWith('/pm/v2/')), file).toEqual([]);
    }
    const feed = await readFile(path.join(out, 'feed.xml'), 'utf8');
    const id = kb.postmortems[0]!.id;
    expect(feed).toContain(`<link rel="alternate" type="text/html" href="/pm/v2/incidents/${id}/"/>`);
    expect(feed).toContain(`<id>urn:hindsight:incidents:${id}</id>`);
  }, 120_000);
});
