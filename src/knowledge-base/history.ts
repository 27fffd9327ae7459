/**
 * The history of each postmortem in git: the commits that changed its file, newest first,
 * renames followed. Read with one `git log` over the content folder's postmortems and cached by
 * the commit HEAD names, so a second build of the same commit runs no git at all. HEAD is read
 * from the repository's files (its `HEAD`, loose refs and `packed-refs`), as git itself would;
 * only a repository whose refs are not plain files (reftable) asks `git rev-parse`.
 *
 * What is committed is the source, never the working tree: uncommitted edits do not appear,
 * and the same commit always gives the same history. Outside a repository, in a shallow clone
 * (whose oldest commits are missing) or without a git binary there is no history, and nothing
 * fails. Git runs with an argument array, never through a shell; author names and subjects are
 * content, stripped of control characters here and escaped by the pages that show them.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { codeDigest } from './code-digest.ts';
import { readSealed, writeSealed } from './durable.ts';

/** One commit that changed a postmortem's file. */
export interface Revision {
  /** The full commit id. */
  commit: string;
  /** The author date, in UTC: `2014-11-20T03:12:00Z`. */
  date: string;
  author: string;
  subject: string;
}

/** Revisions of each postmortem's file, newest first, by its path as the knowledge base names it (relative to `cwd`, with `/`). */
export type History = Map<string, Revision[]>;

/** The hash of this module, which decides what the cache holds: a cache of another version is not read. */
let format: Promise<string> | undefined;
const formatOf = () => (format ??= codeDigest((f) => f === 'src/knowledge-base/history.ts'));
/** Git's output for a large repository; execFile's default of 1 MiB is far too small. */
const MAX_OUTPUT = 1 << 30;

interface Repository {
  /** The folder holding `.git`: paths in git's output are relative to it. */
  top: string;
  /** The git directory (a worktree's own, for a linked worktree). */
  gitDir: string;
  /** Where the shared refs, objects and `shallow` are. */
  commonDir: string;
}

interface Cached {
  format: string;
  head: string;
  content: string;
  /** Revisions by path relative to the content folder, with `/`. */
  files: Record<string, Revision[]>;
}

export interface HistoryOptions {
  /** Folder that file paths are relative to, as in the knowledge base. */
  cwd: string;
  /** Cache folder (see parse-cache.ts cacheDirFor); none when undefined. */
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The history of every postmortem of `contentDir` in its git repository; empty outside one,
 * in a shallow clone, or when git cannot run.
 */
export async function loadHistory(contentDir: string, { cwd, cacheDir, env = process.env }: HistoryOptions): Promise<History> {
  const content = path.resolve(cwd, contentDir);
  // Never fails a build: whatever goes wrong, there is no history.
  const byContentPath = await revisionsOf(content, cacheDir, env).catch(() => ({}));
  const history: History = new Map();
  for (const [file, revisions] of Object.entries(byContentPath)) {
    history.set(path.relative(cwd, path.join(content, file)).split(path.sep).join('/'), revisions);
  }
  return history;
}

async function revisionsOf(content: string, cacheDir: string | undefined, env: NodeJS.ProcessEnv): Promise<Record<string, Revision[]>> {
  const repo = repositoryOf(content);
  if (!repo) return {};
  const gitEnv: NodeJS.ProcessEnv = { ...env, GIT_DIR: repo.gitDir, GIT_WORK_TREE: repo.top };
  delete gitEnv.GIT_COMMON_DIR;
  delete gitEnv.GIT_INDEX_FILE;
  let head = headOf(repo);
  if (head === undefined) {
    // Refs git keeps otherwise (reftable): ask it, the shallow state with them.
    const out = await git(['rev-parse', '--is-shallow-repository', 'HEAD'], repo.top, gitEnv);
    const [shallow, id] = out?.trim().split('\n') ?? [];
    if (shallow !== 'false' || !id || !/^[0-9a-f]{40,64}$/.test(id)) return {};
    head = id;
  } else if (head === null || isShallow(repo)) {
    return {};
  }
  const cacheFile = cacheDir && path.join(cacheDir, 'history', `${createHash('sha1').update(content).digest('hex').slice(0, 16)}.json`);
  if (cacheFile) {
    const cached = await readCache(cacheFile);
    if (cached?.format === (await formatOf()) && cached.head === head && cached.content === content) return cached.files;
  }
  const folder = path.relative(repo.top, path.join(content, 'postmortems')).split(path.sep).join('/');
  if (folder.startsWith('..') || path.isAbsolute(folder)) return {};
  const out = await git(
    // One process for the whole folder. -z: paths as they are, never quoted; -M: renames.
    ['--literal-pathspecs', 'log', 'HEAD', '-z', '--no-color', '--no-ext-diff', '--no-show-signature', '--encoding=UTF-8', '--format=%x1e%H %at%x00%an%x00%s', '--name-status', '-M', '--', folder],
    repo.top,
    gitEnv,
  );
  if (out === undefined) return {};
  const files: Record<string, Revision[]> = {};
  for (const [file, revisions] of parseLog(out)) {
    const relative = path.relative(content, path.join(repo.top, file));
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) files[relative.split(path.sep).join('/')] = revisions;
  }
  if (cacheFile) {
    const value: Cached = { format: await formatOf(), head, content, files };
    // Replaced in one rename, sealed: a build killed meanwhile leaves the old cache or none.
    // A cache that cannot be written is only slower next time.
    await writeSealed(cacheFile, JSON.stringify(value)).catch(() => {});
  }
  return files;
}

/** The cache as written; undefined when missing, cut short, garbled (see durable.ts) or of another shape. */
async function readCache(file: string): Promise<Cached | undefined> {
  const bytes = await readSealed(file);
  try {
    const value = bytes && (JSON.parse(bytes.toString('utf8')) as Cached | null);
    return value && typeof value === 'object' && value.files && typeof value.files === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Runs git; undefined when it cannot run or fails (no binary, not a repository, refused). */
function git(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, env, maxBuffer: MAX_OUTPUT, encoding: 'utf8', windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

/** The repository `dir` is in, found as git finds it: the nearest `.git` folder or file above. */
function repositoryOf(dir: string): Repository | undefined {
  for (let top = dir; ; top = path.dirname(top)) {
    const dotGit = path.join(top, '.git');
    const info = statSync(dotGit, { throwIfNoEntry: false });
    if (info?.isDirectory()) return withCommonDir(top, dotGit);
    if (info?.isFile()) {
      // A linked worktree or a submodule: `gitdir: <path>`.
      const match = /^gitdir: (.+)$/m.exec(readText(dotGit) ?? '');
      return match ? withCommonDir(top, path.resolve(top, match[1]!.trim())) : undefined;
    }
    if (path.dirname(top) === top) return undefined;
  }
}

function withCommonDir(top: string, gitDir: string): Repository | undefined {
  if (!existsSync(path.join(gitDir, 'HEAD'))) return undefined;
  const common = readText(path.join(gitDir, 'commondir'))?.trim();
  return { top, gitDir, commonDir: common ? path.resolve(gitDir, common) : gitDir };
}

const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The commit HEAD names, read from the git directory; null when there is none yet (a new
 * repository), undefined when the refs are not in files this reads (then git is asked).
 */
function headOf({ gitDir, commonDir }: Repository): string | null | undefined {
  if (existsSync(path.join(commonDir, 'reftable'))) return undefined;
  let value = readText(path.join(gitDir, 'HEAD'))?.trim();
  // A symbolic ref may name another (rarely): follow a few.
  for (let depth = 0; depth < 5 && value !== undefined; depth++) {
    if (COMMIT_ID.test(value)) return value;
    const ref = /^ref: (refs\/\S+)$/.exec(value)?.[1];
    if (!ref || ref.split('/').includes('..')) return undefined;
    value = readText(path.join(commonDir, ref))?.trim() ?? readText(path.join(gitDir, ref))?.trim() ?? packedRef(commonDir, ref);
    if (value === undefined) return null;
  }
  return undefined;
}

function packedRef(commonDir: string, ref: string): string | undefined {
  for (const line of (readText(path.join(commonDir, 'packed-refs')) ?? '').split('\n')) {
    const [id, name] = line.split(' ');
    if (name === ref && id && COMMIT_ID.test(id)) return id;
  }
  return undefined;
}

/** A shallow clone lists its cut-off commits in `shallow`. */
const isShallow = ({ commonDir }: Repository) => (statSync(path.join(commonDir, 'shallow'), { throwIfNoEntry: false })?.size ?? 0) > 0;

/** Control characters (C0, DEL, C1) would reach a terminal or a page as they are: each becomes a space. */
const clean = (value: string) => value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

/**
 * The revisions of each file of `git log -z --format=%x1e%H %at%x00%an%x00%s --name-status -M`,
 * by its path (relative to the repository) in the newest commit. Read newest first: a rename
 * `R old new` gives `old`'s earlier commits to the file `new` has become; a file added
 * (`A`, or a copy's new side) starts there, so an older file of the same name is another one.
 * Files deleted and not added again are left out.
 */
export function parseLog(out: string): Map<string, Revision[]> {
  const tokens = out.split('\u0000');
  /** For older commits, which file a path belongs to (its name at HEAD); null for none. */
  const owner = new Map<string, string | null>();
  const ownerOf = (file: string) => (owner.has(file) ? owner.get(file)! : file);
  const revisions = new Map<string, Revision[]>();
  const deleted = new Set<string>();
  let i = 0;
  while (i < tokens.length) {
    const header = tokens[i++]!.replace(/^\n/, '');
    if (!header.startsWith('\u001e')) continue;
    const [commit = '', seconds = ''] = header.slice(1).split(' ');
    const time = new Date(Number(seconds) * 1000);
    const revision: Revision = { commit, date: (Number.isNaN(time.getTime()) ? new Date(0) : time).toISOString().replace('.000Z', 'Z'), author: clean(tokens[i++] ?? ''), subject: clean(tokens[i++] ?? '') };
    const later: [string, string | null][] = [];
    const add = (file: string, status: string) => {
      const name = ownerOf(file);
      if (name === null) return;
      let list = revisions.get(name);
      if (!list) revisions.set(name, (list = []));
      // A file seen first deleted is gone at HEAD; a later (older) entry does not bring it back.
      if (list.length === 0 && status === 'D') deleted.add(name);
      if (list.at(-1)?.commit !== commit) list.push(revision);
    };
    while (i < tokens.length && /^\n?[A-Z][0-9]*$/.test(tokens[i]!)) {
      const status = tokens[i++]!.replace(/^\n/, '');
      if (status[0] === 'R' || status[0] === 'C') {
        const [from, to] = [tokens[i++] ?? '', tokens[i++] ?? ''];
        add(to, 'A');
        if (status[0] === 'R') later.push([from, ownerOf(to)]);
        later.push([to, null]);
      } else {
        const file = tokens[i++] ?? '';
        add(file, status);
        if (status === 'A') later.push([file, null]);
      }
    }
    // What this commit's renames and additions mean for older commits, applied after all its entries.
    // A rename's old side is set after any addition of the same name in the commit.
    for (const [file, name] of later.sort(([, a], [, b]) => (a === null ? 0 : 1) - (b === null ? 0 : 1))) owner.set(file, name);
  }
  for (const name of deleted) revisions.delete(name);
  return revisions;
}
