/**
 * Recurrence caught at write time (rule possible-recurrence), on a copy of the shipped content:
 * a draft that retells the Azure Storage outage of 2014 under an unrelated cause is warned, with
 * the Azure postmortem named; unrelated drafts, a draft that shares the cause and one that lists
 * the Azure postmortem in `related` are not.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { possibleRecurrences } from '../src/analysis/recurrence-check.ts';
import { similarIncidents, similarityInput } from '../src/analysis/linking.ts';
import { validate } from '../src/cli/validate.ts';
import { packTerms } from '../src/knowledge-base/index.ts';
import { checkKnowledgeBase, loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { aboutTerms } from '../src/search/terms.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const env = { HINDSIGHT_CACHE_DIR: 'off' };
let dir: string;

interface Draft {
  id: string;
  title: string;
  summary: string;
  rootCause: string;
  causes?: string[];
  related?: string[];
}

const AZURE_RETOLD: Draft = {
  id: '2026-03-02-gateway-loop',
  title: 'Gateway outage after a configuration change was enabled in most regions at once',
  summary:
    'A configuration change for a performance improvement, tested on a few front-ends, was enabled in most regions at once instead of in stages. A bug sent the front-ends into an infinite loop and requests failed in every region for four hours.',
  rootCause:
    'The configuration change was switched on in most regions at once rather than region by region, as the deployment policy requires. The front-ends went into an infinite loop on the new code path and stopped taking traffic.',
  causes: ['retry-storm'],
};

const UNRELATED: Draft[] = [
  {
    id: '2026-03-03-orders-migration',
    title: 'Orders table migration locked writes for forty minutes',
    summary: 'A schema migration that added a column with a default value to the orders table took an exclusive lock. Writes to orders queued behind it and checkout timed out for forty minutes.',
    rootCause: 'The migration tool ran ALTER TABLE with a default on a table of 400 million rows, which rewrote the table under an exclusive lock. The migration was reviewed but never run against a production-sized copy, and the tool has no lock timeout.',
  },
  {
    id: '2026-03-04-dns-typo',
    title: 'Internal DNS zone misconfigured, service discovery failed',
    summary: 'An edit to the internal DNS zone file left a record without its trailing dot, so internal names resolved to the wrong domain and service discovery failed across the office network for an hour.',
    rootCause: 'A hand-edited zone file was pushed without the zone checker. A missing trailing dot on one CNAME made every name under it relative, and resolvers cached the wrong answers until their TTL ran out.',
  },
  {
    id: '2026-03-05-payments',
    title: 'Card payments failed while the payment provider was down',
    summary: 'Our payment provider had an outage of its card authorisation API; card payments in the shop failed for 55 minutes and we had no second provider to fail over to.',
    rootCause: 'All card payments go through a single external payment provider. When its authorisation API returned errors, the shop had no fallback provider and no queue to retry payments later, so orders were lost.',
  },
];

function draftText({ title, summary, rootCause, causes = ['retry-storm'], related }: Draft, status = 'draft'): string {
  const date = '2026-03-02';
  return `---
title: ${JSON.stringify(title)}
date: ${date}
status: ${status}
severity: SEV2
summary: ${JSON.stringify(summary)}
trigger: config-change
causes: [${causes.join(', ')}]
blast_radius:
  scope: service
  services: [azure-storage]
authors: [Someone]${related ? `\nrelated: [${related.join(', ')}]` : ''}
---

## Timeline

- ${date} 10:00 UTC — [start] It starts.
- ${date} 11:00 UTC — [resolved] It ends.

## Root cause

${rootCause}

## Blast radius

Some customers.

## Remediation

- [ ] Fix it. (owner: platform, due: 2026-04-01)
`;
}

/** The shipped content with `drafts` added; validate's output as `format`. */
async function withDrafts(drafts: Record<string, string>, format = 'json') {
  await rm(path.join(dir, 'content'), { recursive: true, force: true });
  await cp(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  await mkdir(path.join(dir, 'content/postmortems/2026'), { recursive: true });
  for (const [id, text] of Object.entries(drafts)) await writeFile(path.join(dir, 'content/postmortems/2026', `${id}.md`), text);
  const result = await validate({ cwd: dir, format, env });
  return { ...result, found: format === 'json' ? (JSON.parse(result.stdout!) as { file: string; line: number; column: number; rule: string; message: string }[]).filter((d) => d.rule === 'possible-recurrence') : [] };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hindsight-recurrence-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('possible-recurrence on the shipped content', () => {
  it('warns a draft that retells the Azure Storage outage of 2014 under an unrelated cause, at its causes: key', async () => {
    const { status, found } = await withDrafts({ [AZURE_RETOLD.id]: draftText(AZURE_RETOLD) });
    expect(status).toBe(0);
    expect(found).toEqual([
      {
        file: `content/postmortems/2026/${AZURE_RETOLD.id}.md`,
        line: 8,
        column: 1,
        severity: 'warning',
        rule: 'possible-recurrence',
        message: 'Reads like `2014-11-19-azure-storage` (causes `global-rollout`, `unvalidated-change`, `runaway-computation`, `status-page-shared-fate`, `slow-customer-communication`); add the cause that fits, or list it in `related`.',
      },
    ]);
  });

  it('warns one in review too, and the GitHub format makes it an annotation', async () => {
    const { stdout } = await withDrafts({ [AZURE_RETOLD.id]: draftText(AZURE_RETOLD, 'review') }, 'github');
    expect(stdout!.split('\n').filter((line) => line.includes('possible-recurrence'))).toMatchInlineSnapshot(`
      [
        "::warning file=content/postmortems/2026/2026-03-02-gateway-loop.md,line=8,col=1,title=hindsight possible-recurrence::Reads like \`2014-11-19-azure-storage\` (causes \`global-rollout\`, \`unvalidated-change\`, \`runaway-computation\`, \`status-page-shared-fate\`, \`slow-customer-communication\`); add the cause that fits, or list it in \`related\`.",
      ]
    `);
  });

  it('does not cry wolf: unrelated drafts, and the example draft of hindsight init, get none', async () => {
    const example = (await readFile(path.join(ROOT, 'templates/init/example.md'), 'utf8'))
      .replaceAll('{{date}}', '2026-03-06')
      .replaceAll('{{due}}', '2026-04-01')
      // Causes and services the shipped catalogue has.
      .replace('  - missing-alert\n', '')
      .replace(/ {4}- api-gateway\n {4}- checkout\n/, '    - azure-storage\n');
    const drafts = Object.fromEntries(UNRELATED.map((d) => [d.id, draftText(d)]));
    const { found, stdout } = await withDrafts({ ...drafts, '2026-03-06-example': example });
    expect(JSON.parse(stdout!).filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
    expect(found).toEqual([]);
  });

  it('is quiet when the draft names one of the causes, or lists the earlier incident in related', async () => {
    const sharing = { ...AZURE_RETOLD, causes: ['retry-storm', 'global-rollout'] };
    const relating = { ...AZURE_RETOLD, id: '2026-03-03-gateway-loop-again', related: ['2014-11-19-azure-storage'] };
    const { found } = await withDrafts({ [sharing.id]: draftText(sharing), [relating.id]: draftText(relating) });
    expect(found).toEqual([]);
  });

  it('gives nothing when every postmortem is published', async () => {
    const kb = await checkKnowledgeBase('content', { cwd: ROOT });
    expect(kb.profiles).toHaveLength(kb.files);
    expect(possibleRecurrences(kb.profiles)).toEqual([]);
  });
});

it('numbers packed terms as the site numbers words: the same similarity', async () => {
  const kb = await loadKnowledgeBase('content', { cwd: ROOT });
  const input = similarityInput(kb.postmortems);
  const byId = new Map(kb.profiles.map((p) => [p.id, p]));
  for (const p of kb.postmortems) expect(byId.get(p.id)!.about).toEqual(packTerms(aboutTerms(p)));
  const { numberPacked } = await import('../src/analysis/recurrence-check.ts');
  const numbered = numberPacked(input.map((i) => byId.get(i.id)!.about));
  expect(similarIncidents(input, { numbered })).toEqual(similarIncidents(input));
  const only = [0, 5, 9];
  const some = similarIncidents(input, { only });
  expect(some).toEqual(new Map([...similarIncidents(input)].filter(([id]) => only.some((i) => input[i]!.id === id))));
});

describe('possible-recurrence with the parse cache', () => {
  it('reads no profiles when every postmortem is published, and keeps a draft\'s warning warm', async () => {
    const content = path.join(dir, 'cached');
    const cached = { HINDSIGHT_CACHE_DIR: path.join(dir, '.cache') };
    await rm(content, { recursive: true, force: true });
    await cp(path.join(ROOT, 'content'), path.join(content, 'content'), { recursive: true });
    const run = async () => {
      const { status, stdout } = await validate({ cwd: content, format: 'json', env: cached });
      return { status, diagnostics: JSON.parse(stdout!) as { rule: string; file: string }[] };
    };
    const profilesPack = async () => {
      const files = (await readdir(cached.HINDSIGHT_CACHE_DIR, { recursive: true })).filter((f) => f.endsWith('profiles.bin'));
      expect(files).toHaveLength(1);
      return path.join(cached.HINDSIGHT_CACHE_DIR, files[0]!);
    };
    const corrupt = Buffer.from('not a pack');

    // Every postmortem published: a warm run does not read the profiles pack (corrupt, it is left so).
    const cold = await run();
    await writeFile(await profilesPack(), corrupt);
    expect(await run()).toEqual(cold);
    expect(await readFile(await profilesPack())).toEqual(corrupt);
    await rm(await profilesPack());
    expect(await run()).toEqual(cold);

    // A draft: its warning, with the profiles of the cached files made again (the pack is gone).
    await mkdir(path.join(content, 'content/postmortems/2026'), { recursive: true });
    await writeFile(path.join(content, 'content/postmortems/2026', `${AZURE_RETOLD.id}.md`), draftText(AZURE_RETOLD));
    const drafted = await run();
    const warned = drafted.diagnostics.filter((d) => d.rule === 'possible-recurrence');
    expect(warned.map((d) => d.file)).toEqual([`content/postmortems/2026/${AZURE_RETOLD.id}.md`]);
    // Warm, it survives; and nothing changed, so it comes from the cache, not from the profiles.
    expect(await run()).toEqual(drafted);
    await writeFile(await profilesPack(), corrupt);
    expect(await run()).toEqual(drafted);
    expect(await readFile(await profilesPack())).toEqual(corrupt);
    // An edit is checked again: the draft now lists the earlier incident, and is not warned.
    await writeFile(path.join(content, 'content/postmortems/2026', `${AZURE_RETOLD.id}.md`), draftText({ ...AZURE_RETOLD, related: ['2014-11-19-azure-storage'] }));
    expect((await run()).diagnostics.filter((d) => d.rule === 'possible-recurrence')).toEqual([]);
  });
});
