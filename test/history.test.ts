/**
 * History from git: a repository made here with fixed authors and dates (two revisions of one
 * file, a rename of another), built with `hindsight build`; a shallow clone and a folder without
 * git, built without the section; the cache that spares a second `git log`; incremental builds
 * after a commit; and this repository's own Azure 2014 page against `git log`.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadHistory, parseLog } from '../src/knowledge-base/history.ts';
import { commitLink } from '../src/site/revisions.ts';
import { buildSite } from './setup/sites.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const REPOSITORY = 'https://git.example/acme/postmortems';

/** Git with no configuration of the machine's or the user's (no signing, no hooks, no templates). */
const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
async function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return (await run('git', args, { cwd, env: { ...process.env, ...GIT_ENV, ...env } })).stdout;
}
/** A commit by `name`, authored and committed at `date` (ISO, UTC). */
async function commit(cwd: string, name: string, date: string, subject: string): Promise<string> {
  await git(cwd, ['add', '-A']);
  await git(cwd, ['-c', `user.name=${name}`, '-c', `user.email=${name.split(' ')[0]!.toLowerCase()}@example.com`, 'commit', '-q', '-m', subject], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
}

const page = (out: string, id: string) => readFile(path.join(out, 'incidents', id, 'index.html'), 'utf8');
const historyOf = (html: string) => /<section aria-labelledby="history">.*?<\/section>/s.exec(html)?.[0];
const STALL = '2024-03-05-queue-stall';
const COPY = '2024-03-05-workers-stalled';

let tmp: string;
let repo: string;
let content: string;
const commits: Record<string, string> = {};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-history-'));
  repo = path.join(tmp, 'repo');
  content = path.join(repo, 'content');
  const posts = path.join(content, 'postmortems', '2024');
  await mkdir(posts, { recursive: true });
  for (const file of ['causes.yml', 'services.yml']) await cp(path.join(ROOT, 'test/fixtures/base', file), path.join(content, file));
  await writeFile(path.join(content, 'hindsight.yml'), `title: Acme\nrepository: ${REPOSITORY}/\n`);
  const valid = await readFile(path.join(ROOT, 'test/fixtures/base/valid.md'), 'utf8');
  await writeFile(path.join(posts, `${STALL}.md`), valid);
  await writeFile(path.join(posts, '2024-03-05-first-name.md'), valid.replace(/^title: .*$/m, 'title: Workers stalled, as told by the workers team'));
  await git(repo, ['init', '-q']);
  commits.first = await commit(repo, 'Alice Example', '2024-03-06T09:00:00Z', 'Add the queue stall postmortems');
  await writeFile(path.join(posts, `${STALL}.md`), valid.replace('## Root cause\n\n', '## Root cause\n\nA second look. '));
  commits.second = await commit(repo, 'Bob & "Ops" Jones', '2024-03-07T10:30:00+02:00', 'Final review: <script>alert(1)</script> & more');
  await git(repo, ['mv', path.join(posts, '2024-03-05-first-name.md'), path.join(posts, `${COPY}.md`)]);
  commits.rename = await commit(repo, 'Carol', '2024-03-08T12:00:00Z', 'Rename the copy');
  // Outside the postmortems: in no file's history.
  await writeFile(path.join(content, 'hindsight.yml'), `title: Acme postmortems\nrepository: ${REPOSITORY}/\n`);
  commits.settings = await commit(repo, 'Dan', '2024-03-09T12:00:00Z', 'Retitle');
}, 60_000);

afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('the history of a postmortem in git', () => {
  it('lists every commit of each file, newest first, renames followed, from one git log', async () => {
    const history = await loadHistory(content, { cwd: repo });
    expect([...history.keys()].sort()).toEqual([`content/postmortems/2024/${STALL}.md`, `content/postmortems/2024/${COPY}.md`]);
    expect(history.get(`content/postmortems/2024/${STALL}.md`)).toEqual([
      { commit: commits.second, date: '2024-03-07T08:30:00Z', author: 'Bob & "Ops" Jones', subject: 'Final review: <script>alert(1)</script> & more' },
      { commit: commits.first, date: '2024-03-06T09:00:00Z', author: 'Alice Example', subject: 'Add the queue stall postmortems' },
    ]);
    expect(history.get(`content/postmortems/2024/${COPY}.md`)!.map((r) => [r.author, r.commit])).toEqual([
      ['Carol', commits.rename],
      ['Alice Example', commits.first],
    ]);
    // Paths are the knowledge base's: relative to the folder it runs in.
    expect([...(await loadHistory('content', { cwd: repo })).keys()]).toEqual([...history.keys()]);
  });

  it('follows renames, swaps and re-additions, and leaves deleted files out (parsing git log -z)', () => {
    const header = (n: number, subject: string) => `\u001e${String(n).repeat(40)} ${1_700_000_000 + n}\u0000A\u0000${subject}\u0000`;
    const out = [
      header(5, 'swap') + '\nR100\u0000p/a.md\u0000p/b.md\u0000R100\u0000p/b.md\u0000p/a.md\u0000D\u0000p/gone.md\u0000',
      header(4, 'new x') + '\nA\u0000p/x.md\u0000',
      header(3, 'old x removed') + '\nD\u0000p/x.md\u0000',
      header(2, 'b edited') + '\nM\u0000p/b.md\u0000',
      header(1, 'start') + '\nA\u0000p/a.md\u0000A\u0000p/b.md\u0000A\u0000p/x.md\u0000A\u0000p/gone.md\u0000',
    ].join('');
    const subjects = Object.fromEntries([...parseLog(out)].map(([file, list]) => [file, list.map((r) => r.subject)]));
    // After the swap, a.md is the file that was b.md: b.md's edit is in its history.
    expect(subjects).toEqual({ 'p/a.md': ['swap', 'b edited', 'start'], 'p/b.md': ['swap', 'start'], 'p/x.md': ['new x'] });
    expect(parseLog(out).get('p/x.md')![0]!.date).toBe('2023-11-14T22:13:24Z');
    // Control characters in names and subjects never reach a page or a terminal.
    expect(parseLog(header(1, 'a\u001b[31mred\u0007') + '\nA\u0000f.md\u0000').get('f.md')![0]!.subject).toBe('a [31mred ');
  });

  it('is cached by HEAD: the same commit needs no git, a new one does', async () => {
    const cacheDir = path.join(tmp, 'history-cache');
    const noGit = { ...process.env, PATH: path.join(tmp, 'no-binaries') };
    const first = await loadHistory(content, { cwd: repo, cacheDir });
    expect(first.size).toBe(2);
    expect(await readdir(path.join(cacheDir, 'history'))).toHaveLength(1);
    // With no git to run, the history of the same commit comes from the cache…
    expect(await loadHistory(content, { cwd: repo, cacheDir, env: noGit })).toEqual(first);
    // …which it does not without one,
    expect((await loadHistory(content, { cwd: repo, cacheDir: path.join(tmp, 'other-cache'), env: noGit })).size).toBe(0);
    // nor after a new commit, when git must run again.
    const other = await mkdtemp(path.join(tmp, 'moved-'));
    await git(repo, ['clone', '-q', repo, other]);
    const otherContent = path.join(other, 'content');
    await loadHistory(otherContent, { cwd: other, cacheDir });
    await writeFile(path.join(otherContent, 'postmortems/2024', `${STALL}.md`), 'changed\n');
    await commit(other, 'Eve', '2024-03-10T00:00:00Z', 'Change');
    expect((await loadHistory(otherContent, { cwd: other, cacheDir, env: noGit })).size).toBe(0);
    expect((await loadHistory(otherContent, { cwd: other, cacheDir })).get(`content/postmortems/2024/${STALL}.md`)![0]!.subject).toBe('Change');
  });

  it('is empty outside a repository, in a shallow clone and in a new repository', async () => {
    const plain = path.join(tmp, 'plain');
    await cp(content, plain, { recursive: true });
    expect((await loadHistory(plain, { cwd: tmp })).size).toBe(0);
    const shallow = path.join(tmp, 'shallow-api');
    await git(tmp, ['clone', '-q', '--depth', '1', `file://${repo}`, shallow]);
    expect((await git(shallow, ['rev-parse', '--is-shallow-repository'])).trim()).toBe('true');
    expect((await loadHistory(path.join(shallow, 'content'), { cwd: shallow })).size).toBe(0);
    const fresh = path.join(tmp, 'fresh');
    await cp(content, path.join(fresh, 'content'), { recursive: true });
    await git(fresh, ['init', '-q']);
    expect((await loadHistory(path.join(fresh, 'content'), { cwd: fresh })).size).toBe(0);
  });

  it('links a commit under the repository', () => {
    expect(commitLink('https://github.com/acme/postmortems', 'abc')).toBe('https://github.com/acme/postmortems/commit/abc');
    expect(commitLink('https://gitlab.example/acme/postmortems.git/', 'abc')).toBe('https://gitlab.example/acme/postmortems/commit/abc');
  });
});

describe('the History section of an incident page', () => {
  it('shows when the file was first committed and last revised, and each revision linked to its commit', async () => {
    const out = path.join(tmp, 'site');
    await buildSite(content, out, { cwd: repo, env: { HINDSIGHT_CACHE_DIR: 'off' } });
    const link = (id: string) => `${REPOSITORY}/commit/${id}`;
    expect(historyOf(await page(out, STALL))).toBe(
      '<section aria-labelledby="history"><h2 id="history">History</h2><p>First committed <time datetime="2024-03-06T09:00:00Z">6 Mar 2024</time>, last revised <time datetime="2024-03-07T08:30:00Z">7 Mar 2024</time>.</p>' +
        `<ul class="revisions"><li><time datetime="2024-03-07T08:30:00Z">7 Mar 2024</time> · Bob &amp; &quot;Ops&quot; Jones: <a href="${link(commits.second!)}">Final review: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</a></li>` +
        `<li><time datetime="2024-03-06T09:00:00Z">6 Mar 2024</time> · Alice Example: <a href="${link(commits.first!)}">Add the queue stall postmortems</a></li></ul></section>`,
    );
    const renamed = historyOf(await page(out, COPY))!;
    expect([...renamed.matchAll(/href="([^"]+)"/g)].map((m) => m[1])).toEqual([link(commits.rename!), link(commits.first!)]);
    expect(renamed).toContain('First committed <time datetime="2024-03-06T09:00:00Z">6 Mar 2024</time>, last revised <time datetime="2024-03-08T12:00:00Z">8 Mar 2024</time>.');
  }, 60_000);

  it('is left out in a shallow clone and in a folder without git, which build all the same', async () => {
    const shallow = path.join(tmp, 'shallow');
    await git(tmp, ['clone', '-q', '--depth', '1', `file://${repo}`, shallow]);
    const plain = path.join(tmp, 'plain-site');
    await cp(content, path.join(plain, 'content'), { recursive: true });
    for (const dir of [shallow, plain]) {
      const out = path.join(dir, 'dist');
      expect(await buildSite(path.join(dir, 'content'), out, { cwd: dir, env: { HINDSIGHT_CACHE_DIR: 'off' } })).toMatch(/^Built 2 incident pages/);
      const html = await page(out, STALL);
      expect(html, dir).toContain('<h1>');
      expect(html, dir).not.toContain('id="history"');
    }
  }, 60_000);

  it('renders again the page of a file a new commit touches, and only it, into the bytes of a clean build', async () => {
    const copy = path.join(tmp, 'incremental');
    await git(tmp, ['clone', '-q', repo, copy]);
    const env = { HINDSIGHT_CACHE_DIR: path.join(tmp, 'incremental-cache') };
    const out = path.join(copy, 'dist');
    const build = () => buildSite(path.join(copy, 'content'), out, { cwd: copy, env });
    await build();
    const file = path.join(copy, 'content/postmortems/2024', `${COPY}.md`);
    await writeFile(file, (await readFile(file, 'utf8')).replace('## Root cause\n\n', '## Root cause\n\nEdited. '));
    // Not committed yet: the page shows the edit, its history is unchanged.
    await build();
    expect(historyOf(await page(out, COPY))).not.toContain('Edited');
    await commit(copy, 'Frank', '2024-03-11T00:00:00Z', 'Edited the copy');
    const message = await build();
    expect(message).toMatch(/, \d+ of \d+ pages, exports and search rows unchanged/);
    const [, kept, total] = /, (\d+) of (\d+) pages/.exec(message)!;
    expect(Number(kept)).toBe(Number(total) - 1);
    expect(historyOf(await page(out, COPY))).toContain('Frank: <a');
    const clean = path.join(tmp, 'incremental-clean');
    await buildSite(path.join(copy, 'content'), clean, { cwd: copy, env: { HINDSIGHT_CACHE_DIR: 'off' } });
    const files = async (dir: string) => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
    const expected = await files(clean);
    expect(await files(out)).toEqual(expected);
    for (const name of expected) expect(await readFile(path.join(out, name), 'utf8'), name).toBe(await readFile(path.join(clean, name), 'utf8'));
  }, 120_000);
});

describe('this repository', () => {
  it('lists on the Azure 2014 page the commits that changed its file', async () => {
    const { shipped } = inject('sites');
    const file = 'content/postmortems/2014/2014-11-19-azure-storage.md';
    const html = await page(shipped, '2014-11-19-azure-storage');
    const shallow = await git(ROOT, ['rev-parse', '--is-shallow-repository']).then((s) => s.trim() === 'true', () => undefined);
    if (shallow !== false) {
      // Not a clone with its whole history: no section, and the page is there all the same.
      expect(html).not.toContain('id="history"');
      return;
    }
    const ids = (await git(ROOT, ['log', '--format=%H', '--', file])).trim().split('\n');
    const log = (await git(ROOT, ['log', '--format=%at%x00%an%x00%s', '--', file])).trim().split('\n').map((line) => line.split('\u0000'));
    expect(log).toHaveLength(ids.length);
    const section = historyOf(html)!;
    const items = [...section.matchAll(/<li><time datetime="([^"]+)">[^<]*<\/time> · (.*?): (.*?)<\/li>/g)].map((m) => [m[1], m[2], m[3]]);
    const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
    expect(items).toEqual(log.map(([seconds, author, subject]) => [new Date(Number(seconds) * 1000).toISOString().replace('.000Z', 'Z'), escape(author!), escape(subject!)]));
    expect(section).toContain(`First committed <time datetime="${items.at(-1)![0]}">`);
  });
});
