/** The built site, read as files: its addresses, its exports, and that it is reproducible. */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'parse5';
import { describe, expect, inject, it } from 'vitest';
import { spareFolderOf } from '../src/cli/spare-site.ts';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { elements } from './helpers/html.ts';
import { buildSite } from './setup/sites.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { shipped, hostile } = inject('sites');
const kb = await loadKnowledgeBase('content', { cwd: ROOT });
const read = (site: string, address: string) => readFile(path.join(site, address.endsWith('/') ? `${address}index.html` : address), 'utf8');

async function files(dir: string, kind: 'file' | 'folder' = 'file'): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => (kind === 'file' ? entry.isFile() : entry.isDirectory()))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('the shipped site', () => {
  it('has every address of the format contract', async () => {
    const addresses = [
      '/',
      '/incidents/',
      '/causes/',
      '/services/',
      '/search/',
      '/feed.xml',
      '/api/incidents.json',
      '/404.html',
      ...kb.postmortems.map((p) => `/incidents/${p.id}/`),
      ...[...kb.catalog.causes!.keys()].map((id) => `/causes/${id}/`),
      ...[...kb.catalog.services!.keys()].map((id) => `/services/${id}/`),
    ];
    for (const address of addresses) await expect(read(shipped, address), address).resolves.toBeTruthy();
  });

  it('serves /api/incidents.json exactly as FORMAT.md says', async () => {
    const records = JSON.parse(await read(shipped, '/api/incidents.json'));
    expect(records).toHaveLength(kb.postmortems.length);
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(
        ['actions', 'blast_radius', 'causes', 'date', 'id', 'minutes_to_detect', 'minutes_to_first_comms', 'minutes_to_mitigate', 'minutes_to_resolve', 'recurred_while_open', 'severity', 'title', 'trigger'].sort(),
      );
      expect(Object.keys(record.actions).sort()).toEqual(['declined', 'done', 'open', 'overdue']);
    }
    const azure = records.find((r: { id: string }) => r.id === '2014-11-19-azure-storage');
    expect(azure).toMatchObject({ date: '2014-11-19', severity: 'SEV1', trigger: 'config-change', minutes_to_mitigate: 654, minutes_to_resolve: 5510, minutes_to_detect: null });
    // Four items, one done; the open ones were due in December 2014, long before the build date.
    expect(azure.actions).toEqual({ open: 3, done: 1, overdue: 3, declined: 0 });
    // It recurred while the leap-day outage of 2012 (same organization, causes in common) had open items.
    expect(azure.recurred_while_open).toContain('2012-02-29-azure-leap-day');
  });

  it('links the Azure 2014 page to every other incident that shares one of its causes', async () => {
    const azure = kb.postmortems.find((p) => p.id === '2014-11-19-azure-storage')!;
    const sharing = kb.postmortems.filter((p) => p !== azure && p.data.causes.some((c) => azure.data.causes.includes(c)));
    expect(sharing.length).toBeGreaterThanOrEqual(5);
    const page = await read(shipped, `/incidents/${azure.id}/`);
    const section = page.slice(page.indexOf('id="before"'), page.indexOf('id="s-timeline"'));
    for (const other of sharing) expect(section, other.id).toContain(`href="/incidents/${other.id}/"`);
    expect(page).toContain('<ol class="timeline">');
  });

  it('shows what a Timeline says besides its entries above the drawn timeline, and the internal parts of a public postmortem marked', async () => {
    const page = await read(shipped, '/incidents/2014-11-19-azure-storage/');
    const timeline = page.slice(page.indexOf('id="s-timeline"'), page.indexOf('<ol class="timeline">'));
    expect(timeline).toContain('Microsoft dates the incident 18 November in Pacific time');
    expect(page).toContain('<span class="badge visibility-public">Public</span>');
    expect(page).toMatch(/<div class="internal"><p>Editors' note, not for the public page/);
  });

  it('shows possibly related incidents found by text similarity, and no unrelated ones', async () => {
    const teams = await read(shipped, '/incidents/2020-02-03-microsoft-teams-certificate/');
    const related = teams.slice(teams.indexOf('id="related"'));
    expect(related.slice(related.indexOf('Possibly related'))).toContain('href="/incidents/2013-02-22-azure-storage-certificate/"');
    const gitlab = await read(shipped, '/incidents/2017-01-31-gitlab-database/');
    expect(gitlab).not.toContain('Possibly related');
  });

  it('writes an Atom feed with one entry per incident, newest first', async () => {
    const feed = await read(shipped, '/feed.xml');
    const ids = [...feed.matchAll(/<id>https:\/\/hindsight\.example\.org\/incidents\/([^/]+)\/<\/id>/g)].map((m) => m[1]);
    expect(ids).toEqual(kb.postmortems.map((p) => p.id));
    expect(feed).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
  });
});

describe('a hostile knowledge base', () => {
  it('escapes its text in the feed and the JSON', async () => {
    const feed = await read(hostile, '/feed.xml');
    expect(feed).not.toMatch(/<script|<img|<svg/);
    expect(feed).toContain('<title>&lt;script&gt;window.__pwned = \'title\'&lt;/script&gt; &amp; &quot;quotes&quot; ]]&gt; --&gt; \'pwned\'</title>');
    const records = JSON.parse(await read(hostile, '/api/incidents.json'));
    expect(records[1].title).toBe('<script>window.__pwned = \'title\'</script> & "quotes" ]]> --> \'pwned\'');
  });

  it('keeps scripts out of its pages: only the site\'s own module scripts, no handlers, no script URLs', async () => {
    for (const file of (await files(hostile)).filter((f) => f.endsWith('.html'))) {
      const found: string[] = [];
      for (const element of elements(parse(await readFile(path.join(hostile, file), 'utf8')))) {
        const attrs = new Map(element.attrs.map((a) => [a.name, a.value]));
        const name = element.tagName;
        if (name === 'script' && !(attrs.get('type') === 'module' && /^\/_astro\/[\w.-]+\.js$/.test(attrs.get('src') ?? ''))) found.push(`<script ${JSON.stringify(element.attrs)}>`);
        if (['iframe', 'object', 'embed', 'b'].includes(name)) found.push(`<${name}>`);
        // The trends page's charts are the only SVG: drawn by src/site/charts.ts, labelled chart-….
        if (name === 'svg' && !/^chart-[\w-]+-title chart-[\w-]+-desc$/.test(attrs.get('aria-labelledby') ?? '')) found.push('<svg>');
        // An image whose unsafe address was removed keeps only its alt text.
        if (name === 'img' && attrs.has('src')) found.push(`<img src=${attrs.get('src')}>`);
        for (const [attr, value] of attrs) {
          if (attr.startsWith('on')) found.push(`${name} ${attr}`);
          if (['href', 'src', 'action', 'formaction'].includes(attr) && /^\s*(?:javascript|data|vbscript):/i.test(value)) found.push(`${name} ${attr}=${value}`);
        }
      }
      expect(found, file).toEqual([]);
    }
  });
});

describe('hindsight build', () => {
  it('gives byte-identical output whatever the file order, time zone or locale, with the date from SOURCE_DATE_EPOCH', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-repro-'));
    try {
      // The same content, its files written in the opposite order.
      const content = path.join(tmp, 'content');
      const sources = await files(path.join(ROOT, 'content'));
      for (const file of [...sources].reverse()) {
        await cp(path.join(ROOT, 'content', file), path.join(content, file));
      }
      const out = path.join(tmp, 'out');
      // Afternoon of the build date in UTC: already the next day in Kiritimati (UTC+14).
      const epoch = String(Date.UTC(2026, 10, 22, 15) / 1000);
      await buildSite(content, out, { today: null, env: { SOURCE_DATE_EPOCH: epoch, TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' } });
      const expected = await files(shipped);
      expect(await files(out)).toEqual(expected);
      // The copy is in no git repository: the same bytes, but for the history of each incident page.
      const withoutHistory = (bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace(/<section aria-labelledby="history">.*?<\/section>/s, ''), 'latin1');
      for (const file of expected) expect(await readFile(path.join(out, file)), file).toEqual(withoutHistory(await readFile(path.join(shipped, file))));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 120_000);

  it('renders again only the pages an edit changes, into the same bytes as a clean build', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-incremental-'));
    try {
      const content = path.join(tmp, 'content');
      await cp(path.join(ROOT, 'content'), content, { recursive: true });
      const out = path.join(tmp, 'out');
      const env = { HINDSIGHT_CACHE_DIR: path.join(tmp, 'cache') };
      await buildSite(content, out, { env });
      // Into an empty output: a spare of the pages' folders alone is started for the next build (see src/cli/spare-site.ts).
      expect(await files(spareFolderOf(out))).toEqual([]);
      expect(await files(spareFolderOf(out), 'folder')).toEqual(expect.arrayContaining(['incidents/2014-11-19-azure-storage', 'causes/global-rollout', 'search/docs']));
      // Something else wrote into the output (Pagefind, say): nested folders, files at each level.
      for (const extra of ['pagefind/pagefind.js', 'pagefind/fragment/a.pf_fragment', 'pagefind/index/b.pf_index']) {
        await mkdir(path.dirname(path.join(out, extra)), { recursive: true });
        await writeFile(path.join(out, extra), 'x');
      }
      const file = (id: string) => path.join(content, 'postmortems', id.slice(0, 4), `${id}.md`);
      const edit = (id: string, change: (text: string) => string) => async () => writeFile(file(id), change(await readFile(file(id), 'utf8')));
      // A new incident (a copy under another id), then gone again: its page must come and go.
      const copy = '2017-01-01-cloudflare-leap-second-again';
      const edits: [string, () => Promise<void>, RegExp][] = [
        ['2014-11-19-azure-storage', edit('2014-11-19-azure-storage', (t) => t.replace('## Root cause\n\n', '## Root cause\n\nOne more sentence of the body. ')), /, (5[89]|60) of 61 pages, exports and search rows unchanged/],
        ['2012-02-29-azure-leap-day', edit('2012-02-29-azure-leap-day', (t) => t.replace(/^title: (.*)$/m, 'title: $1 (edited)')), /unchanged/],
        ['2013-02-22-azure-storage-certificate', edit('2013-02-22-azure-storage-certificate', (t) => t.replace('- [ ]', '- [x]')), /unchanged/],
        // Every postmortem internal, then one public: every incident page now says which the public
        // site has, then no longer.
        ['hindsight.yml', async () => writeFile(path.join(content, 'hindsight.yml'), (await readFile(path.join(content, 'hindsight.yml'), 'utf8')).replace(/^visibility: public$/m, 'visibility: internal')), /^Built 14 incident pages into [^,]*\.$/m],
        ['2014-11-19-azure-storage made public', edit('2014-11-19-azure-storage', (t) => t.replace(/^status: published$/m, 'status: published\nvisibility: public')), /^Built 14 incident pages into [^,]*\.$/m],
        ['2014-11-19-azure-storage internal again', edit('2014-11-19-azure-storage', (t) => t.replace('\nvisibility: public', '')), /^Built 14 incident pages into [^,]*\.$/m],
        [`${copy} added`, async () => writeFile(file(copy), await readFile(file('2017-01-01-cloudflare-leap-second'), 'utf8')), /^Built 15 incident pages/m],
        [`${copy} removed`, async () => rm(file(copy)), /^Built 14 incident pages/m],
      ];
      for (const [id, change, message] of edits) {
        await change();
        expect(await buildSite(content, out, { env })).toMatch(message);
        const clean = path.join(tmp, 'clean');
        await buildSite(content, clean, { env: { HINDSIGHT_CACHE_DIR: 'off' } });
        const expected = await files(clean);
        expect(await files(out)).toEqual(expected);
        // No folder the clean site lacks either, such as the page folder of a postmortem removed.
        expect(await files(out, 'folder')).toEqual(await files(clean, 'folder'));
        for (const name of expected) expect(await readFile(path.join(out, name), 'utf8'), `${id}: ${name}`).toEqual(await readFile(path.join(clean, name), 'utf8'));
        await rm(clean, { recursive: true });
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 240_000);
});
