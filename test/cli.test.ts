/**
 * The CLI as a user meets it: commands are called directly with `{cwd, ...}` through the
 * same dispatcher as the binary, and their output is pinned with inline snapshots.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.ts';
import { formatGithub } from '../src/cli/reporters.ts';
import { FIXTURES } from './helpers/fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-cli-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('hindsight validate', () => {
  it('passes on the shipped knowledge base', async () => {
    const result = await run(['validate'], ROOT, false);
    expect(result).toEqual({ status: 0, stdout: '✓ 14 postmortems checked, no problems.\n' });
  });

  it('reports a folder of broken postmortems file by file', async () => {
    const result = await run(['validate', '--content', 'broken'], FIXTURES, false);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatchInlineSnapshot(`
      "broken/postmortems/2024-01-10-cert-expiry.md
        3:7   error    \`date\` is 2024-01-10, but impact started on 2024-03-05 (UTC) according to the \`[start]\` entry on line 18; \`date\` is the UTC day the impact started.  date-mismatch
        8:10  error    Unknown cause \`expired-certficate\`; did you mean \`expired-certificate\`?  cause-unknown
        8:30  error    Unknown cause \`\\u001b[2J\\u001b[31mgone\`; it is not defined in causes.yml.  cause-unknown
        24:1  error    Section \`## Root cause\` is empty; explain why the incident happened, beyond the trigger.  section-empty

      broken/postmortems/2024/2024-03-05-pool-setting.md
        5:1   error    Unknown field \`causez\`; did you mean \`causes\`?  field-unknown
        22:3  error    \`[mitigated]\` (\`10:03\`) comes before \`[detected]\` on line 20; expected start ≤ detected ≤ mitigated ≤ resolved.  marker-order
        22:3  error    This item (\`10:03\`) is earlier than the one before it on line 21 (\`10:20\`); keep the timeline in chronological order.  timeline-order

      broken/postmortems/2024/2024-03-06-queue-stall.md
        1:1    error    Missing field \`authors\`: a published postmortem names who wrote it, as a list.  field-required
        5:1    error    Unknown field \`sevrity\`; did you mean \`severity\`?  field-unknown
        6:11   error    Unknown severity \`SEV9\`; expected one of \`SEV1\`, \`SEV2\`, \`SEV3\`, \`SEV4\`.  field-value
        8:10   error    Unknown trigger \`confg-change\`; did you mean \`config-change\`? Expected one of \`code-deploy\`, \`config-change\`, \`infrastructure-change\`, \`traffic\`, \`dependency-failure\`, \`hardware-failure\`, \`time-or-date\`, \`expired-credential\`, \`human-action\`, \`attack\`, \`unknown\`.  field-value
        9:10   error    Unknown cause \`global-rolout\`; did you mean \`global-rollout\`?  cause-unknown
        9:25   error    Unknown cause \`nope\`; it is not defined in causes.yml.  cause-unknown
        11:10  error    Unknown scope \`regional\`; did you mean \`region\`? Expected one of \`global\`, \`multi-region\`, \`region\`, \`zone\`, \`service\`, \`none\`.  field-value
        12:14  error    Unknown service \`azure-storag\`; it is not defined in services.yml.  service-unknown
        13:11  error    Unknown related postmortem \`2014-11-19-azure-storag\`; no postmortem has that id (ids are file names without \`.md\`).  related-unknown
        14:11  error    \`sources[0]\` is \`javascript:alert(1)\`; expected an absolute http(s) URL.  field-format
        20:11  error    Unknown marker \`[strat]\`; did you mean \`start\`?  marker-unknown
        21:3   error    This item (\`10:02\`) is earlier than the one before it on line 20 (\`10:05\`); keep the timeline in chronological order.  timeline-order
        22:3   error    Timestamp \`25:00\` is not a real time: months run 01–12, days to the end of the month, hours 00–23, minutes and seconds 00–59.  timeline-timestamp
        23:3   error    Marker \`[detected]\` already appears on line 21; it marks one moment, so keep only one.  marker-duplicate
        29:1   error    Missing \`## Blast radius\` section: this heading is level 3; sections are level-2 headings (\`##\`).  section-missing
        31:11  error    Raw HTML \`<script>\` is not allowed; use Markdown instead (HTML is removed from the site).  html-raw
        31:27  error    Raw HTML \`</script>\` is not allowed; use Markdown instead (HTML is removed from the site).  html-raw
        35:1   error    Remediation items are tasks: write \`- [ ] action\` (open) or \`- [x] action\` (done).  remediation-item
        36:42  error    \`due\` is \`2024-02-30\`; expected a calendar date written YYYY-MM-DD.  remediation-detail
        36:59  error    Unknown detail \`tikcet\`; did you mean \`ticket\`?  remediation-detail
        36:75  error    Unknown action type \`prevnt\`; did you mean \`prevent\`?  remediation-detail

      ✖ 28 errors in 3 files (3 postmortems checked).
      "
    `);
  });

  it('prints exactly the FORMAT.md JSON array with --format json', async () => {
    const result = await run(['validate', '--content', 'broken', '--format', 'json'], FIXTURES, false);
    expect(result.status).toBe(1);
    const rows = JSON.parse(result.stdout!);
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) expect(Object.keys(row)).toEqual(['file', 'line', 'column', 'severity', 'rule', 'message']);
    expect(rows.filter((r: { file: string }) => r.file.endsWith('cert-expiry.md'))).toMatchInlineSnapshot(`
      [
        {
          "column": 7,
          "file": "broken/postmortems/2024-01-10-cert-expiry.md",
          "line": 3,
          "message": "\`date\` is 2024-01-10, but impact started on 2024-03-05 (UTC) according to the \`[start]\` entry on line 18; \`date\` is the UTC day the impact started.",
          "rule": "date-mismatch",
          "severity": "error",
        },
        {
          "column": 10,
          "file": "broken/postmortems/2024-01-10-cert-expiry.md",
          "line": 8,
          "message": "Unknown cause \`expired-certficate\`; did you mean \`expired-certificate\`?",
          "rule": "cause-unknown",
          "severity": "error",
        },
        {
          "column": 30,
          "file": "broken/postmortems/2024-01-10-cert-expiry.md",
          "line": 8,
          "message": "Unknown cause \`\\u001b[2J\\u001b[31mgone\`; it is not defined in causes.yml.",
          "rule": "cause-unknown",
          "severity": "error",
        },
        {
          "column": 1,
          "file": "broken/postmortems/2024-01-10-cert-expiry.md",
          "line": 24,
          "message": "Section \`## Root cause\` is empty; explain why the incident happened, beyond the trigger.",
          "rule": "section-empty",
          "severity": "error",
        },
      ]
    `);
  });

  it('prints GitHub annotations that no content can forge', async () => {
    const result = await run(['validate', '--content', 'broken', '--format', 'github'], FIXTURES, false);
    const lines = result.stdout!.trimEnd().split('\n');
    expect(lines.every((line) => /^::(error|warning) file=[^:]+,line=\d+,col=\d+,title=hindsight [a-z-]+::/.test(line))).toBe(true);
    expect(lines.filter((line) => line.includes('cert-expiry'))).toMatchInlineSnapshot(`
      [
        "::error file=broken/postmortems/2024-01-10-cert-expiry.md,line=3,col=7,title=hindsight date-mismatch::\`date\` is 2024-01-10, but impact started on 2024-03-05 (UTC) according to the \`[start]\` entry on line 18; \`date\` is the UTC day the impact started.",
        "::error file=broken/postmortems/2024-01-10-cert-expiry.md,line=8,col=10,title=hindsight cause-unknown::Unknown cause \`expired-certficate\`; did you mean \`expired-certificate\`?",
        "::error file=broken/postmortems/2024-01-10-cert-expiry.md,line=8,col=30,title=hindsight cause-unknown::Unknown cause \`\\u001b[2J\\u001b[31mgone\`; it is not defined in causes.yml.",
        "::error file=broken/postmortems/2024-01-10-cert-expiry.md,line=24,col=1,title=hindsight section-empty::Section \`## Root cause\` is empty; explain why the incident happened, beyond the trigger.",
      ]
    `);
    // The escaping itself, with a message that tries to break out of its line.
    const forged = formatGithub([{ file: 'a,b:c.md', line: 1, column: 1, severity: 'error', rule: 'yaml-syntax', message: '100%\n::error file=x::forged\r' }]);
    expect(forged).toBe('::error file=a%2Cb%3Ac.md,line=1,col=1,title=hindsight yaml-syntax::100%25%0A::error file=x::forged%0D\n');
  });

  it('exits 2 when it cannot run', async () => {
    expect(await run(['validate', '--content', 'nowhere'], tmp, false)).toEqual({ status: 2, stderr: 'hindsight: Content folder "nowhere" does not exist or is not a folder.\n' });
    expect((await run(['validate', '--format', 'xml'], ROOT, false)).status).toBe(2);
    expect((await run(['validate', '--colour'], ROOT, false)).status).toBe(2);
    expect((await run(['frobnicate'], ROOT, false)).status).toBe(2);
    expect((await run([], ROOT, false)).status).toBe(2);
  });

  it('has --help for every command', async () => {
    for (const command of ['validate', 'new', 'build']) {
      const result = await run([command, '--help'], ROOT, false);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: hindsight ${command}`));
    }
  });
});

describe('hindsight new', () => {
  beforeEach(async () => {
    await cp(path.join(FIXTURES, 'base', 'causes.yml'), path.join(tmp, 'content', 'causes.yml'));
  });

  it('scaffolds a draft that validate walks the author through', async () => {
    const { createPostmortem } = await import('../src/cli/new.ts');
    const fixed = await createPostmortem({ cwd: tmp, title: 'Ünïcode & co: the DNS día', today: '2026-11-22' });
    expect(fixed).toEqual({ status: 0, stdout: 'Created content/postmortems/2026/2026-11-22-unicode-co-the-dns-dia.md\nFill in every TODO, then run: hindsight validate\n' });
    const text = await readFile(path.join(tmp, 'content/postmortems/2026/2026-11-22-unicode-co-the-dns-dia.md'), 'utf8');
    expect(text.split('\n').slice(0, 3)).toEqual(['---', 'title: "Ünïcode & co: the DNS día"', 'date: 2026-11-22 # UTC day the impact started; must match the [start] entry below']);
    const report = await run(['validate'], tmp, false);
    expect(report.status).toBe(0); // a fresh draft has only warnings
    expect(report.stdout).toMatchInlineSnapshot(`
      "content/postmortems/2026/2026-11-22-unicode-co-the-dns-dia.md
        5:11   warning  \`severity\` is still a placeholder; expected one of \`SEV1\`, \`SEV2\`, \`SEV3\`, \`SEV4\`.  placeholder
        6:10   warning  \`summary\` is still a placeholder; expected one paragraph of at most 600 characters, used in listings, search results and feeds.  placeholder
        8:10   warning  \`trigger\` is still a placeholder; expected one of \`code-deploy\`, \`config-change\`, \`infrastructure-change\`, \`traffic\`, \`dependency-failure\`, \`hardware-failure\`, \`time-or-date\`, \`expired-credential\`, \`human-action\`, \`attack\`, \`unknown\`.  placeholder
        10:5   warning  \`causes[0]\` is still a placeholder; expected one of \`global-rollout\`, \`expired-certificate\`, \`status-page-shared-fate\`.  placeholder
        12:10  warning  \`blast_radius.scope\` is still a placeholder; expected one of \`global\`, \`multi-region\`, \`region\`, \`zone\`, \`service\`, \`none\`.  placeholder
        14:7   warning  \`blast_radius.services[0]\` is still a placeholder; expected services whose users were affected, at least one.  placeholder
        16:5   warning  \`authors[0]\` is still a placeholder; expected who wrote the postmortem; required once it is published.  placeholder
        24:34  warning  Placeholder \`TODO\` left in the text: \`…00:00 UTC — [start] TODO When impact began.\`; write the real content.  placeholder
        25:22  warning  Placeholder \`TODO\` left in the text: \`00:00 — [detected] TODO How the incident was noti…\`; write the real content.  placeholder
        26:23  warning  Placeholder \`TODO\` left in the text: \`00:00 — [mitigated] TODO When users stopped being…\`; write the real content.  placeholder
        27:22  warning  Placeholder \`TODO\` left in the text: \`00:00 — [resolved] TODO When the incident was ove…\`; write the real content.  placeholder
        31:1   warning  Placeholder \`TODO\` left in the text: \`TODO Why it happened: the conditions that let the…\`; write the real content.  placeholder
        35:1   warning  Placeholder \`TODO\` left in the text: \`TODO Who and what was affected, and how much.\`; write the real content.  placeholder
        39:7   warning  Placeholder \`TODO\` left in the text: \`TODO An action that prevents a recurrence. (owner…\`; write the real content.  placeholder

      ⚠ 14 warnings in 1 file (1 postmortem checked).
      "
    `);
  });

  it("dates a new postmortem with today's local date by default", async () => {
    const today = DateTime.local().toISODate()!;
    const result = await run(['new', 'Cache stampede'], tmp, false);
    expect(result.stdout).toBe(`Created content/postmortems/${today.slice(0, 4)}/${today}-cache-stampede.md\nFill in every TODO, then run: hindsight validate\n`);
  });

  it('refuses to overwrite, also across year folders', async () => {
    const first = await run(['new', 'Disk full', '--date', '2024-05-01'], tmp, false);
    expect(first.status).toBe(0);
    const again = await run(['new', 'Disk full', '--date', '2024-05-01'], tmp, false);
    expect(again).toEqual({ status: 1, stderr: 'content/postmortems/2024/2024-05-01-disk-full.md already has the id 2024-05-01-disk-full; nothing was written. Choose another title or edit that file.\n' });
    await mkdir(path.join(tmp, 'content/postmortems/archive'), { recursive: true });
    await rm(path.join(tmp, 'content/postmortems/2024'), { recursive: true });
    await writeFile(path.join(tmp, 'content/postmortems/archive/2024-05-01-disk-full.md'), 'mine');
    expect((await run(['new', 'Disk full', '--date', '2024-05-01'], tmp, false)).status).toBe(1);
    expect(await readFile(path.join(tmp, 'content/postmortems/archive/2024-05-01-disk-full.md'), 'utf8')).toBe('mine');
  });

  it('rejects a missing title or a bad date', async () => {
    expect((await run(['new'], tmp, false)).status).toBe(2);
    expect((await run(['new', 'x', '--date', '2024-02-30'], tmp, false)).status).toBe(2);
  });
});

describe('hindsight build', () => {
  it('refuses an output folder that is or holds the content or the working folder', async () => {
    for (const out of ['.', 'content', '..']) {
      const result = await run(['build', '--out', out], tmp, false);
      expect(result.status, out).toBe(2);
      expect(result.stderr, out).toMatch(/^hindsight: A build replaces its output folder, and .* (is|holds) .*; give --out a folder of its own, like dist\.\n$/);
    }
  });

  it('refuses a --base that is not a path, before reading any content', async () => {
    for (const base of ['https://acme.github.io/postmortems/', '//cdn.example.org/', 'a/../b', 'two words', 'x?y', '']) {
      const result = await run(['build', '--content', 'nowhere', '--out', path.join(tmp, 'site'), '--base', base], tmp, false);
      expect(result, base).toEqual({
        status: 2,
        stderr: `hindsight: --base ${JSON.stringify(base)} is not a path: give the path the site is served under, like /postmortems/ (letters, digits, \`-\`, \`.\`, \`_\` and \`~\` between slashes), or / for the root.\n`,
      });
    }
    // A good one gets as far as the content folder.
    expect(await run(['build', '--content', 'nowhere', '--out', path.join(tmp, 'site'), '--base', 'postmortems'], tmp, false)).toEqual({ status: 2, stderr: 'hindsight: Content folder "nowhere" does not exist or is not a folder.\n' });
    expect((await run(['build', '--base'], tmp, false)).status).toBe(2);
    expect((await run(['build', '--help'], tmp, false)).stdout).toContain('--base PATH');
  });

  it('writes nothing when validation fails and leaves the previous output alone', async () => {
    const out = path.join(tmp, 'site');
    await mkdir(out);
    await writeFile(path.join(out, 'index.html'), 'previous');
    const result = await run(['build', '--content', path.join(FIXTURES, 'broken'), '--out', out], tmp, false);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Build stopped: fix the errors above\. Nothing was written to .*site\.\n$/);
    expect(await readdir(out)).toEqual(['index.html']);
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('previous');
  });
});
