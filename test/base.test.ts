/**
 * The base the site is served under (src/site/base.ts): which texts are paths, where the base
 * comes from, addresses joined to it, and body HTML put under it; and which body links name a
 * page of the site (src/format/page-links.ts).
 */
import { describe, expect, it } from 'vitest';
import { atomFeed } from '../src/analysis/exports.ts';
import { pageOf } from '../src/format/page-links.ts';
import { renderMarkdown } from '../src/format/render.ts';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { absoluteAddress, BaseError, normalizeBase, rebaseHtml, siteBase, withBase } from '../src/site/base.ts';

describe('normalizeBase', () => {
  it('gives a path a leading and a trailing slash', () => {
    expect(normalizeBase('/')).toBe('/');
    expect(normalizeBase('postmortems')).toBe('/postmortems/');
    expect(normalizeBase('/postmortems')).toBe('/postmortems/');
    expect(normalizeBase('postmortems/')).toBe('/postmortems/');
    expect(normalizeBase('/docs/post-mortems_2.x~/')).toBe('/docs/post-mortems_2.x~/');
    expect(normalizeBase('/caf%C3%A9/')).toBe('/caf%C3%A9/');
  });

  it('refuses what is not a plain path', () => {
    for (const junk of ['', '//', '//cdn.example.org/x/', 'https://acme.github.io/postmortems/', 'a//b', 'a/../b', '..', '/./', 'a b', 'a?b', 'a#b', 'caf%C3%', '"><script>', 'a\\b', 'é']) {
      expect(normalizeBase(junk), junk).toBeUndefined();
    }
  });
});

describe('siteBase', () => {
  it('is the override, else the path of base_url, else the root', () => {
    expect(siteBase(undefined)).toBe('/');
    expect(siteBase('https://hindsight.example.org/')).toBe('/');
    expect(siteBase('https://acme.github.io/postmortems/')).toBe('/postmortems/');
    expect(siteBase('https://acme.github.io/postmortems')).toBe('/postmortems/');
    expect(siteBase('https://acme.github.io/postmortems/?x=1#y')).toBe('/postmortems/');
    expect(siteBase('https://acme.github.io/postmortems/', '/')).toBe('/');
    expect(siteBase(undefined, '/elsewhere/')).toBe('/elsewhere/');
  });

  it('refuses a base_url whose path cannot be a base', () => {
    expect(() => siteBase('https://acme.github.io/a+b/')).toThrow(BaseError);
    expect(() => siteBase('https://acme.github.io//x/')).toThrow(/base_url .*"\/\/x\/".*--base/);
  });
});

describe('addresses under the base', () => {
  it('joins root-relative addresses, and leaves others as they are', () => {
    expect(withBase('/', '/incidents/x/')).toBe('/incidents/x/');
    expect(withBase('/postmortems/', '/')).toBe('/postmortems/');
    expect(withBase('/postmortems/', '/incidents/x/')).toBe('/postmortems/incidents/x/');
    expect(withBase('/postmortems/', '/trends/#while-open')).toBe('/postmortems/trends/#while-open');
    expect(withBase('/postmortems/', 'https://example.org/x')).toBe('https://example.org/x');
    expect(withBase('/postmortems/', '//cdn.example.org/x')).toBe('//cdn.example.org/x');
    expect(withBase('/postmortems/', '#main')).toBe('#main');
  });

  it('makes them absolute on the host of base_url when there is one', () => {
    expect(absoluteAddress(undefined, '/postmortems/', '/feed.xml')).toBeUndefined();
    expect(absoluteAddress('https://acme.github.io/postmortems/', '/postmortems/', '/feed.xml')).toBe('https://acme.github.io/postmortems/feed.xml');
    // The override wins over base_url's own path.
    expect(absoluteAddress('https://acme.github.io/postmortems/', '/v2/', '/incidents/x/')).toBe('https://acme.github.io/v2/incidents/x/');
  });
});

describe('rebaseHtml', () => {
  const html = renderMarkdown(
    [
      'See [the outage](/incidents/2014-11-19-azure-storage/), [its cause](/causes/global-rollout/#history "a title with href=\\"/x\\"") and',
      '![a chart](/charts/a.svg) beside [a host](//cdn.example.org/x), [a site](https://example.org/), [a part](#timeline) and [a file](notes.md).',
      '',
      '`<a href="/incidents/in-code/">` is text, and so is this: href="/incidents/in-text/".',
      '',
      '[ref]: /services/azure-storage/',
      '',
      'A [reference][ref].',
    ].join('\n'),
  );

  it('puts root-relative href and src attributes under the base, and nothing else', () => {
    const rebased = rebaseHtml(html, '/postmortems/');
    expect(rebased).toContain('<a href="/postmortems/incidents/2014-11-19-azure-storage/">');
    expect(rebased).toContain('<a href="/postmortems/causes/global-rollout/#history" title="a title with href=&#x22;/x&#x22;">');
    expect(rebased).toContain('<img src="/postmortems/charts/a.svg" alt="a chart">');
    expect(rebased).toContain('<a href="/postmortems/services/azure-storage/">reference</a>');
    expect(rebased).toContain('<a href="//cdn.example.org/x">');
    expect(rebased).toContain('<a href="https://example.org/">');
    expect(rebased).toContain('<a href="#timeline">');
    expect(rebased).toContain('<a href="notes.md">');
    expect(rebased).toContain('&#x3C;a href="/incidents/in-code/">');
    expect(rebased).toContain('href="/incidents/in-text/".');
    // Exactly the four root-relative attributes changed.
    expect(rebased.length - html.length).toBe(4 * '/postmortems'.length);
  });

  it('leaves HTML as it is at the root', () => {
    expect(rebaseHtml(html, '/')).toBe(html);
  });
});

describe('the feed under a base', () => {
  it('links under the base without base_url, with ids that do not depend on it', async () => {
    const kb = await loadKnowledgeBase('test/fixtures/rules/link-unknown/pass', { cwd: process.cwd() });
    expect(kb.postmortems.length).toBe(2);
    const feed = atomFeed(kb.postmortems, { title: 'T', href: (path) => withBase('/pm/', path) });
    expect(feed).toContain('<link rel="self" type="application/atom+xml" href="/pm/feed.xml"/>');
    expect(feed).toContain('<link rel="alternate" type="text/html" href="/pm/incidents/queue-stall/"/>');
    expect(feed).toContain('<id>urn:hindsight:incidents:queue-stall</id>');
    const absolute = atomFeed(kb.postmortems, { title: 'T', href: (path) => absoluteAddress('https://acme.github.io/pm/', '/pm/', path)! });
    expect(absolute).toContain('<id>https://acme.github.io/pm/incidents/queue-stall/</id>');
    expect(absolute).toContain('href="https://acme.github.io/pm/incidents/queue-stall/"');
  });
});

describe('pageOf', () => {
  it('names the incident, cause or service page a root-relative address goes to', () => {
    expect(pageOf('/incidents/2014-11-19-azure-storage/')).toEqual({ kind: 'incidents', id: '2014-11-19-azure-storage' });
    expect(pageOf('/causes/global-rollout')).toEqual({ kind: 'causes', id: 'global-rollout' });
    expect(pageOf('/services/azure-storage/#incidents')).toEqual({ kind: 'services', id: 'azure-storage' });
    expect(pageOf('/causes/global-rollout?x=1')).toEqual({ kind: 'causes', id: 'global-rollout' });
    for (const other of ['/incidents/', '/incidents', '/incidents/x/y/', '//incidents/x/', 'incidents/x/', 'https://example.org/incidents/x/', '/trends/', '/Incidents/x/']) {
      expect(pageOf(other), other).toBeUndefined();
    }
  });
});
