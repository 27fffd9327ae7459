/**
 * One source, two audiences: a knowledge base with two internal postmortems and three public
 * ones holding internal blocks and inline parts (test/fixtures/audience/with-parts), and the
 * same knowledge base with those postmortems and parts deleted by hand (deleted-by-hand).
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicDiff } from '../src/cli/public-diff.ts';
import { validate } from '../src/cli/validate.ts';
import { namesIn } from '../src/format/redaction.ts';
import { buildSite } from './setup/sites.ts';

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/audience');
const WITH_PARTS = path.join(FIXTURE, 'with-parts');
const BY_HAND = path.join(FIXTURE, 'deleted-by-hand');

/** What only the internal postmortems, internal parts and internal fields say: ids, names, hosts, tickets, customers. */
const INTERNAL = ['vandelay', 'zephyrine', 'Vandelay', 'Zephyrine', 'Priya', 'Ostrander', 'Quentin', 'Rowan', 'Morgan', 'corp.acme', 'bastion-2', 'statuspub', 'Kestrel', 'OPS-', 'Hooli', 'Pied Piper', 'api-certs', 'war-room', 'rowan-vale', 'Jobs team', 'Comms team', 'API team'];

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-audience-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const build = (content: string, out: string, audience: string, cache = 'off') => buildSite(content, path.join(tmp, out), { args: ['--audience', audience], env: { HINDSIGHT_CACHE_DIR: cache } });

describe('the public build', () => {
  it('equals, file for file and byte for byte, the build of the knowledge base with the internal postmortems and parts deleted by hand', async () => {
    expect(await build(WITH_PARTS, 'public', 'public')).toMatch(/^Built 4 incident pages/);
    await build(BY_HAND, 'by-hand', 'public');
    const expected = await files(path.join(tmp, 'by-hand'));
    expect(await files(path.join(tmp, 'public'))).toEqual(expected);
    for (const file of expected) expect(await readFile(path.join(tmp, 'public', file)), file).toEqual(await readFile(path.join(tmp, 'by-hand', file)));
  }, 60_000);

  it('holds none of the internal text, ids, names or host names, in any file or file name', async () => {
    for (const file of await files(path.join(tmp, 'public'))) {
      const text = `${file}\n${await readFile(path.join(tmp, 'public', file), 'utf8')}`;
      for (const word of INTERNAL) expect(text.includes(word), `${word} in ${file}`).toBe(false);
    }
  });
});

describe('the internal build', () => {
  it('shows everything, with what the public site leaves out marked', async () => {
    expect(await build(WITH_PARTS, 'internal', 'internal')).toMatch(/^Built 6 incident pages/);
    const page = (id: string) => readFile(path.join(tmp, 'internal', 'incidents', id, 'index.html'), 'utf8');
    const internal = await page('2024-05-02-vandelay-import');
    expect(internal).toContain('<span class="badge visibility-internal">Internal</span>');
    expect(internal).toContain('Internal postmortem: the public site does not have it.');
    const queue = await page('2024-03-05-queue-stall');
    expect(queue).toContain('Public postmortem: the public site shows it without the parts marked internal and without its authors, owners, tickets.');
    // Inline parts as marked spans, blocks as marked divisions, timeline entries in a block marked.
    expect(queue).toContain('<span class="internal">by Priya Ostrander from bastion-2.corp.acme.example</span>');
    expect(queue).toMatch(/<div class="internal"><p>The config service had its canary check switched off since OPS-4410/);
    expect(queue).toMatch(/<li class="internal">.*?Priya Ostrander asks in #jobs-war-room/s);
    // The remediation item written in a block is a marked row.
    expect(await page('2024-09-02-api-certificate')).toMatch(/<tr class="internal">.*?Audit who reads the certificate mailing lists/s);
  }, 60_000);
});

describe('validate --audience public', () => {
  it('warns, at line and column, where public text holds an e-mail address, an internal pattern or a name of an internal field', async () => {
    const content = path.join(tmp, 'leaky');
    await cp(WITH_PARTS, content, { recursive: true });
    const file = path.join(content, 'postmortems', '2024-06-30-leap-second.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('The scheduler\'s clock handling repeated a second.', 'The scheduler\'s clock handling repeated a second; ask jobs-oncall@acme.example or see OPS-812 on sched-1.corp.acme.example. The Jobs team knew.'));
    const internal = await validate({ cwd: content, content: '.', env: { HINDSIGHT_CACHE_DIR: 'off' } });
    expect(internal.stdout).toContain('no problems');
    const result = await validate({ cwd: content, content: '.', audience: 'public', env: { HINDSIGHT_CACHE_DIR: 'off' } });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      "postmortems/2024-06-30-leap-second.md
        24:55   warning  The public version's body holds the e-mail address \`jobs-oncall@acme.example\`; remove it, or mark it internal with \`:internal[…]\`.  redaction-email
        24:87   warning  The public version's body holds \`OPS-812\`, which matches \`internal_patterns\` \`OPS-\\d+\` of hindsight.yml; remove it, or mark it internal with \`:internal[…]\`.  redaction-pattern
        24:105  warning  The public version's body holds \`.corp.acme.example\`, which matches \`internal_patterns\` \`\\.corp\\.acme\\.example\\b\` of hindsight.yml; remove it, or mark it internal with \`:internal[…]\`.  redaction-pattern
        24:129  warning  The public version's body names \`Jobs team\`, which \`authors\` gives and the public version leaves out; remove it, or mark it internal with \`:internal[…]\`.  redaction-name

      ⚠ 4 warnings in 1 file (6 postmortems checked).
      "
    `);
  });
});

describe('hindsight public-diff', () => {
  it('prints what the public version of each postmortem leaves out', async () => {
    const result = await publicDiff({ cwd: WITH_PARTS, content: '.', files: ['postmortems/2024-03-05-queue-stall.md', 'postmortems/2024-05-02-vandelay-import.md'], env: { HINDSIGHT_CACHE_DIR: 'off' } });
    expect(result.stdout).toMatchInlineSnapshot(`
      "postmortems/2024-03-05-queue-stall.md
        authors: Jobs team, Priya Ostrander
        related: 2024-05-02-vandelay-import (an internal postmortem)
        line 19, internal text: by Priya Ostrander from bastion-2.corp.acme.example
        line 23, internal block:
          - 10:15 — Priya Ostrander asks in #jobs-war-room whether the Kestrel migration is related.
        line 34, internal block:
          The config service had its canary check switched off since OPS-4410, after the Kestrel migration; the [same gap](/incidents/2024-05-02-vandelay-import/) let the Vandelay import through.
        line 40, internal text: (Hooli and Pied Piper filed tickets)
        line 44, remediation details: owner: jobs-platform, ticket: OPS-4481
        line 45, remediation details: owner: config-service

      postmortems/2024-05-02-vandelay-import.md
        internal: the public site does not have this postmortem.

      1 public postmortem, 1 internal.
      "
    `);
  });
});

describe('the incremental build', () => {
  it('follows a postmortem whose visibility flips, to the same bytes as a clean build', async () => {
    const content = path.join(tmp, 'flip');
    await cp(WITH_PARTS, content, { recursive: true });
    const cache = path.join(tmp, 'flip-cache');
    await build(content, 'flip-out', 'public', cache);
    const file = path.join(content, 'postmortems', '2024-06-30-leap-second.md');
    const original = await readFile(file, 'utf8');
    for (const [text, pages] of [[original.replace('visibility: public\n', ''), 3], [original.replace('visibility: public\n', 'visibility: public\nrelated: [2024-03-05-queue-stall]\n'), 4]] as const) {
      await writeFile(file, text);
      expect(await build(content, 'flip-out', 'public', cache)).toMatch(new RegExp(`^Built ${pages} incident pages`));
      await rm(path.join(tmp, 'flip-clean'), { recursive: true, force: true });
      await build(content, 'flip-clean', 'public');
      const expected = await files(path.join(tmp, 'flip-clean'));
      expect(await files(path.join(tmp, 'flip-out'))).toEqual(expected);
      for (const name of expected) expect(await readFile(path.join(tmp, 'flip-out', name), 'utf8'), name).toEqual(await readFile(path.join(tmp, 'flip-clean', name), 'utf8'));
    }
  }, 120_000);
});

describe('the names a customers field gives', () => {
  it('are its runs of capitalised words, wherever they stand, and not a phrase\'s opening word, acronyms or figures', () => {
    expect(namesIn('Contoso, Fabrikam and Northwind Traders')).toEqual(['Contoso', 'Fabrikam', 'Northwind Traders']);
    expect(namesIn('about 4% of EU customers, including Brightwater Logistics; notably Fennimore Analytics')).toEqual(['Brightwater Logistics', 'Fennimore Analytics']);
    expect(namesIn('Gildenmoor Bank raised a formal complaint')).toEqual(['Gildenmoor Bank']);
    expect(namesIn('Three enterprise customers in the US')).toEqual([]);
    expect(namesIn("Contoso's EU tenants, O'Brien Logistics and Señor Frog")).toEqual(['Contoso', "O'Brien Logistics", 'Señor Frog']);
  });
});
