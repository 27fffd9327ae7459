/**
 * hindsight.yml's customisation without forking: logo, accent, header links, footer, edit
 * links and component overrides. test/fixtures/custom/ is a user's project (its content folder
 * in content/, its overrides in overrides/: the header wrapped by relative path, with a file of
 * the project's beside it; the footer wrapped by its public name; an aside of its own);
 * it is built once, read, browsed in Chromium, and built again after edits of an override and
 * of the logo. The shipped site, built without any of these settings, has none of it.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isEditPattern, isHeaderHref } from '../schemas/settings.ts';
import { run } from '../src/cli/main.ts';
import { ACCENT_BACKGROUNDS, accentColours, contrast, editLink, parseHex } from '../src/site/branding.ts';
import { launch } from '../src/tools/chromium.ts';
import { serve } from '../src/site/static-server.ts';
import { parseCatalog } from '../src/knowledge-base/catalog.ts';
import { checkKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { FIXTURES, formatLine } from './helpers/fixtures.ts';
import { buildSite } from './setup/sites.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PROJECT = path.join(FIXTURES, 'custom');
const INCIDENT = 'incidents/2024-03-05-queue-stall/index.html';
let tmp: string;
let out: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-custom-'));
  out = path.join(tmp, 'site');
  // From the project's folder, as a user runs it: component paths are relative to it.
  await buildSite('content', out, { cwd: PROJECT, env: { HINDSIGHT_CACHE_DIR: 'off' } });
}, 120_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const page = (file: string) => readFile(path.join(out, file), 'utf8');
/** The text between the first `start` and the `end` after it. */
const between = (html: string, start: string, end: string) => {
  const from = html.indexOf(start);
  expect(from, start).toBeGreaterThanOrEqual(0);
  return html.slice(from, html.indexOf(end, from) + end.length);
};

describe('a customised site', () => {
  it('wraps the original header, with the logo copied into the output and the header links', async () => {
    for (const file of ['index.html', INCIDENT, 'causes/index.html']) {
      const wrapped = between(await page(file), '<div data-custom-header>', '</div>');
      expect(wrapped, file).toMatch(/^<div data-custom-header><header class="site-header"><div class="bar"><a class="brand" href="\/"><img src="\/_astro\/logo\.[\w-]{10}\.svg" alt="">Acme postmortems<\/a><nav aria-label="Site">/);
      expect(between(await page(file), '<nav aria-label="Links"', '</nav>'), file).toBe('<nav aria-label="Links" class="header-links"><ul><li><a href="https://runbooks.example.com/">Runbooks</a></li><li><a href="/causes/">Causes</a></li></ul></nav>');
      // A file the override imports, bundled with it.
      expect(between(await page(file), '</header>', '</p>'), file).toBe('</header><p style="max-width: 62rem; margin: 0.5rem auto; padding: 0 1rem"><span class="badge" data-custom-badge>Internal</span></p>');
    }
    const logo = /<img src="\/(_astro\/logo\.[\w-]{10}\.svg)"/.exec(await page('index.html'))![1]!;
    expect(await readFile(path.join(out, logo))).toEqual(await readFile(path.join(PROJECT, 'content/images/acme.svg')));
    // Copied, never inlined.
    expect(await page('index.html')).not.toContain('data:image');
  });

  it('sets the accent for both schemes, and wraps the original footer with the footer text escaped', async () => {
    const html = await page(INCIDENT);
    const { light, dark } = accentColours('#f5a623');
    expect(html).toContain(`<style>@media screen{html:root{--accent:${light}}}@media screen and (prefers-color-scheme: dark){html:root{--accent:${dark}}}</style>`);
    const footer = between(html, '<div data-custom-footer>', '</div>');
    expect(footer).toContain('<footer class="site-footer"><p>Internal &lt;b&gt;only&lt;/b&gt; &amp; &quot;confidential&quot; — ask #sre before sharing.</p><p>1 published postmortems · built 22 Nov 2026');
    expect(footer).toContain('<p class="site-footer">Run by the SRE team.</p>');
    expect(html).not.toContain('<b>only</b>');
  });

  it('links each incident page to its file for editing, and shows the aside of the override instead of the original', async () => {
    const html = await page(INCIDENT);
    expect(html).toContain('<p class="edit-link no-print"><a href="https://github.com/acme/postmortems/edit/main/content/postmortems/2024/2024-03-05-queue-stall.md">Edit this postmortem</a></p>');
    expect(between(html, '<aside class="callout" data-custom-aside', '</aside>')).toBe('<aside class="callout" data-custom-aside aria-labelledby="custom-durations"><h2 id="custom-durations">How long it took</h2><ul><li>Detected after 7 minutes, resolved after 40.</li><li>Written by Jobs team.</li></ul></aside>');
    expect(html).not.toContain('aria-labelledby="figures"');
  });

  it('passes axe-core in light and dark, with the accent on its links and the logo loaded', async () => {
    const [browser, served] = await Promise.all([launch(), serve(out)]);
    try {
      for (const colorScheme of ['light', 'dark'] as const) {
        const tab = await browser.newPage({ colorScheme, viewport: { width: 1100, height: 900 } });
        for (const address of ['/', '/incidents/2024-03-05-queue-stall/']) {
          await tab.goto(`${served.url}${address}`);
          await tab.addScriptTag({ content: axe.source });
          const violations = await tab.evaluate(async () => {
            const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
            return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          });
          expect(violations, `${colorScheme} ${address}`).toEqual([]);
          // The accent reaches the links, and the logo loads.
          const link = await tab.locator('a[href="https://runbooks.example.com/"]').evaluate((a) => getComputedStyle(a).color);
          expect(link, colorScheme).toBe(rgb(accentColours('#f5a623')[colorScheme]));
          expect(await tab.locator('.brand img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(32);
        }
        await tab.close();
      }
    } finally {
      await Promise.all([browser.close(), served.close()]);
    }
  }, 60_000);
});

const rgb = (hex: string) => `rgb(${parseHex(hex).join(', ')})`;

describe('the accent colour', () => {
  it('reads at 4.5:1 on every background of its scheme, whatever colour is given, and is left as it is when it already does', () => {
    const samples = ['#000', '#fff', '#f5a623', '#0a58ca', '#7cb4ff', '#ff0000', '#00ff00', '#777777', '#1a2129', '#ffff00'];
    for (const colour of samples) {
      const chosen = accentColours(colour);
      for (const scheme of ['light', 'dark'] as const) {
        for (const bg of ACCENT_BACKGROUNDS[scheme]) expect(contrast(parseHex(chosen[scheme]), parseHex(bg)), `${colour} ${scheme} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
    expect(accentColours('#0a58ca').light).toBe('#0a58ca');
    expect(accentColours('#7CB4FF').dark).toBe('#7cb4ff');
  });

  it('is worked out against the backgrounds site.css has', async () => {
    const css = await readFile(path.join(ROOT, 'src/styles/site.css'), 'utf8');
    const [light, dark] = [css.slice(0, css.indexOf('@media (prefers-color-scheme: dark)')), between(css, '@media (prefers-color-scheme: dark)', '}\n}')];
    const value = (block: string, name: string) => new RegExp(`--${name}: (#[0-9a-f]{6});`).exec(block)?.[1];
    expect([value(light, 'bg'), value(light, 'surface')]).toEqual(ACCENT_BACKGROUNDS.light);
    expect([value(dark, 'bg'), value(dark, 'surface')]).toEqual(ACCENT_BACKGROUNDS.dark);
  });
});

describe('settings', () => {
  it('stay strict: a misspelt field or component is an error with the name it resembles, a bad value says what is expected', () => {
    const text = ["acent: '#f5a623'", 'logo: ../logo.svg', 'components:', '  Heder: overrides/Header.astro', '  Footer: overrides/Footer.vue', ''].join('\n');
    const lines = parseCatalog({ settings: { file: 'hindsight.yml', text } }).diagnostics.map(formatLine);
    expect(lines).toMatchInlineSnapshot(`
      [
        "hindsight.yml:2:7 error field-format \`logo\` is \`../logo.svg\`; expected an image file inside the content folder (.svg, .png, .jpg or .webp), like \`logo.svg\`, or an absolute http(s) URL.",
        "hindsight.yml:5:11 error field-format \`components.Footer\` is \`overrides/Footer.vue\`; expected the path of an \`.astro\` file relative to the project root, like \`overrides/Header.astro\`.",
        "hindsight.yml:4:3 error field-unknown Unknown field \`Heder\`; did you mean \`Header\`?",
        "hindsight.yml:1:1 error field-unknown Unknown field \`acent\`; did you mean \`accent\`?",
      ]
    `);
  });
});

describe('settings that name addresses', () => {
  it('put a postmortem\'s path into the edit link, one encoded segment at a time', () => {
    expect(editLink('https://git.example.com/edit/{path}?ref=main', 'content/post mortems/a#b.md')).toBe('https://git.example.com/edit/content/post%20mortems/a%23b.md?ref=main');
  });

  it('take header links to http(s) or the site\'s own addresses only, and edit patterns with {path} after the host', () => {
    expect(['https://x.example/', '/causes/', '/'].filter(isHeaderHref)).toEqual(['https://x.example/', '/causes/', '/']);
    expect(['//evil.example/', '/\\evil.example', 'javascript:alert(1)', 'causes/', 'mailto:a@b.c'].filter(isHeaderHref)).toEqual([]);
    expect(isEditPattern('https://github.com/acme/kb/edit/main/{path}')).toBe(true);
    expect(['https://{path}/x', 'https://github.com/acme/kb/edit/main/', 'ftp://x.example/{path}', 'javascript://x/{path}'].filter(isEditPattern)).toEqual([]);
  });
});

describe('hindsight build', () => {
  it('stops before Astro when an override file is missing, naming the file and the setting', async () => {
    const project = path.join(tmp, 'missing');
    await cp(PROJECT, project, { recursive: true });
    const settings = path.join(project, 'content/hindsight.yml');
    await writeFile(settings, (await readFile(settings, 'utf8')).replace('Footer: overrides/Footer.astro', 'Footer: overrides/Foter.astro').replace('IncidentAside: overrides/IncidentAside.astro', 'IncidentAside: theme/Aside.astro'));
    const result = await run(['build', '--out', 'dist'], project, false);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "content/hindsight.yml
        16:11  error    \`components.Footer\` names \`overrides/Foter.astro\`, which does not exist in the project root (the folder hindsight runs in); did you mean \`overrides/Footer.astro\`?  file-missing
        17:18  error    \`components.IncidentAside\` names \`theme/Aside.astro\`, which does not exist in the project root (the folder hindsight runs in).  file-missing

      ✖ 2 errors in 1 file (1 postmortem checked).
      Build stopped: fix the errors above. Nothing was written to dist.
      "
    `);
    expect(await readdir(project)).not.toContain('dist');
  });

  it('looks for the named files at every run, also when the parse cache knows the settings', async () => {
    const project = path.join(tmp, 'cached');
    await cp(PROJECT, project, { recursive: true });
    const options = { cwd: project, cacheDir: path.join(tmp, 'validate-cache') };
    const rules = async () => (await checkKnowledgeBase('content', options)).diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`);
    expect(await rules()).toEqual([]);
    await rm(path.join(project, 'overrides/Header.astro'));
    expect(await rules()).toEqual(['15:11 file-missing']);
    await writeFile(path.join(project, 'overrides/Header.astro'), '<header class="site-header">Acme</header>\n');
    expect(await rules()).toEqual([]);
  });

  it('renders every page again when an override, a file it imports, a stylesheet it imports, the lockfile or the logo changes', async () => {
    const project = path.join(tmp, 'edited');
    await cp(PROJECT, project, { recursive: true });
    // Moved out of this repository: the header's relative import of the original points back at it.
    const header = path.join(project, 'overrides/Header.astro');
    await writeFile(header, (await readFile(header, 'utf8')).replaceAll('../../../../src/', `${ROOT}/src/`));
    const env = { HINDSIGHT_CACHE_DIR: path.join(tmp, 'cache') };
    const site = path.join(project, 'dist');
    await buildSite('content', site, { cwd: project, env });
    const before = /<img src="\/(_astro\/logo\.[\w-]{10}\.svg)"/.exec(await readFile(path.join(site, INCIDENT), 'utf8'))![1]!;
    // Nothing is left as it was after either edit: no "… unchanged from the last build".
    await writeFile(path.join(project, 'overrides/Badge.astro'), (await readFile(path.join(project, 'overrides/Badge.astro'), 'utf8')).replace('{Astro.props.text}', '{Astro.props.text} · edited'));
    expect(await buildSite('content', site, { cwd: project, env })).toBe('Built 1 incident page into dist/.\n');
    expect(await readFile(path.join(site, 'causes/index.html'), 'utf8')).toContain('<span class="badge" data-custom-badge>Internal · edited</span>');
    await writeFile(path.join(project, 'content/images/acme.svg'), (await readFile(path.join(project, 'content/images/acme.svg'), 'utf8')).replace('#b45309', '#1d4ed8'));
    expect(await buildSite('content', site, { cwd: project, env })).toBe('Built 1 incident page into dist/.\n');
    const after = /<img src="\/(_astro\/logo\.[\w-]{10}\.svg)"/.exec(await readFile(path.join(site, 'causes/index.html'), 'utf8'))![1]!;
    expect(after).not.toBe(before);
    expect(await readFile(path.join(site, after), 'utf8')).toContain('#1d4ed8');
    expect(await readdir(path.join(site, '_astro'))).not.toContain(path.basename(before));
    // A stylesheet that a stylesheet an override imports `@import`s, which Vite inlines; then the
    // project's lockfile, which stands for the packages an override may import.
    await writeFile(path.join(project, 'overrides/extra.css'), "@import './more.css';\n");
    await writeFile(path.join(project, 'overrides/more.css'), '.extra { color: #111; }\n');
    await writeFile(path.join(project, 'overrides/Badge.astro'), `---\nimport './extra.css';\n${(await readFile(path.join(project, 'overrides/Badge.astro'), 'utf8')).replace(/^---\n/, '')}`);
    await buildSite('content', site, { cwd: project, env });
    await writeFile(path.join(project, 'overrides/more.css'), '.extra { color: #222; }\n');
    expect(await buildSite('content', site, { cwd: project, env })).toBe('Built 1 incident page into dist/.\n');
    await writeFile(path.join(project, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    expect(await buildSite('content', site, { cwd: project, env })).toBe('Built 1 incident page into dist/.\n');
    await writeFile(path.join(project, 'package-lock.json'), '{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"2.0.0"}}}\n');
    expect(await buildSite('content', site, { cwd: project, env })).toBe('Built 1 incident page into dist/.\n');
    expect(await buildSite('content', site, { cwd: project, env })).toMatch(/unchanged from the last build/);
  }, 180_000);
});

describe('the shipped site', () => {
  it('has none of it without the settings', async () => {
    const { shipped } = inject('sites');
    for (const file of ['index.html', 'incidents/2014-11-19-azure-storage/index.html']) {
      const html = await readFile(path.join(shipped, file), 'utf8');
      expect(html, file).not.toMatch(/<style|<img|edit-link|header-links|aria-label="Links"/);
      expect(html, file).toContain('<footer class="site-footer"><p>14 published postmortems');
    }
  });
});
