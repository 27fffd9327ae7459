import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
// Tens of thousands of small files are linked and removed synchronously: several times quicker
// than as many asynchronous calls, and a build has nothing else to do meanwhile.
import { constants, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { buildDate } from '../analysis/build-date.ts';
import { possibleRecurrences } from '../analysis/recurrence-check.ts';
import { hasErrors } from '../format/diagnostics.ts';
import { loadKnowledgeBase } from '../knowledge-base/loader.ts';
import { PACKAGE_ROOT } from '../knowledge-base/code-digest.ts';
import { cacheDirFor } from '../knowledge-base/parse-cache.ts';
import { readSealed, running, writeSealed } from '../knowledge-base/durable.ts';
import { fault } from '../knowledge-base/fault.ts';
import { loadHistory } from '../knowledge-base/history.ts';
import { formatPretty } from './reporters.ts';
import { astroProject } from '../site/astro-project.ts';
import { startBackground } from '../site/background.ts';
import { absoluteAddress } from '../site/base.ts';
import { handedPlan, handOver, keptSearchFiles, publishedOf } from '../site/data.ts';
import { outputFile, siteCodeDigest, type PreviousBuild } from '../site/incremental.ts';
import { audienceOption, baseOption, servedBase } from './options.ts';
import { UsageError, type CommandResult } from './result.ts';

export const buildHelp = `Usage: hindsight build [--content DIR] [--out DIR] [--today DATE] [--base PATH] [--audience internal|public]

Validates the content folder and, when it has no error, builds the static site. With any
error nothing is written and the previous output is left untouched. The new site is made
beside the output folder and moved in at the end, so a build that is killed leaves the
previous site whole (past that move, the new one), and the next build clears what it left
beside it. The same content and build date give byte-identical output. Files that have not changed since the
last build are not parsed again, and pages that show nothing new are taken as they are from
the previous output; the cache is in node_modules/.cache/hindsight (HINDSIGHT_CACHE_DIR sets
another, \`off\` none).

Options:
  --content DIR   content folder (default: content)
  --out DIR       output folder (default: dist)
  --today DATE    build date (YYYY-MM-DD) that overdue actions are measured against
                  (default: SOURCE_DATE_EPOCH when set, else today in UTC)
  --base PATH     the path the site is served under, like /postmortems/, for this build
                  (default: the path of base_url in hindsight.yml, else /)
  --audience WHO  internal (default): every postmortem, what the public site leaves out
                  marked; public: the public postmortems only, without their internal
                  parts and internal fields, and without git history or edit links
  -h, --help      show this help
`;

/** Replacing the output folder deletes it: refuse one that is, or holds, something to keep. */
function refuseOutput(outDir: string, keep: readonly string[]): void {
  for (const dir of keep.map((d) => path.resolve(d))) {
    const relative = path.relative(outDir, dir);
    if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
      throw new UsageError(`A build replaces its output folder, and ${outDir} ${dir === outDir ? 'is' : 'holds'} ${dir}; give --out a folder of its own, like dist.`);
    }
  }
}


export interface BuildOptions {
  cwd: string;
  content?: string;
  out?: string;
  today?: string;
  /** The path the site is served under, overriding base_url's for this build. */
  base?: string;
  /** `internal` (default) or `public`. */
  audience?: string;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function build({ cwd, content = 'content', out = 'dist', today, base: baseText, audience: who, color = false, env = process.env }: BuildOptions): Promise<CommandResult> {
  const date = buildDate({ today, env });
  const audience = audienceOption(who);
  const override = baseOption(baseText);
  refuseOutput(path.resolve(cwd, out), [cwd, path.resolve(cwd, content), PACKAGE_ROOT]);
  const cacheDir = cacheDirFor(cwd, env);
  // The postmortems' history in git: one `git log` (none when cached) while the files are parsed.
  // The public site shows no history: commits and their authors are internal.
  const history = audience === 'internal' ? loadHistory(content, { cwd, cacheDir, env }) : undefined;
  const kb = await loadKnowledgeBase(content, { cwd, html: true, cacheDir, today: date, recurrences: possibleRecurrences, audience });
  if (hasErrors(kb.diagnostics)) {
    return {
      status: 1,
      stderr: `${formatPretty(kb.diagnostics, { files: kb.files }, color)}Build stopped: fix the errors above. Nothing was written to ${out}.\n`,
    };
  }
  const baseUrl = kb.catalog.settings.base_url;
  const base = servedBase(baseUrl, override);
  const contentDir = path.resolve(cwd, content);
  const outDir = path.resolve(cwd, out);
  // The whole new site is made beside the output and swapped in at the end, so a build that
  // fails or is killed leaves the old site (see the swap below).
  const partial = `${outDir}.partial-${process.pid}`;
  // Named for this build alone: the old site of the last build of this process may be going still.
  const previous = `${outDir}.previous-${process.pid}-${randomBytes(4).toString('hex')}`;
  removeLeftovers(outDir);
  // The fingerprints of the pages of the last build into this output folder.
  const record = cacheDir && path.join(cacheDir, 'builds', `${createHash('sha1').update(outDir).digest('hex').slice(0, 16)}.json`);
  const previousBuild = record ? await readRecord(record, outDir) : undefined;
  const background = startBackground(publishedOf(kb), kb.catalog);
  handOver(contentDir, kb, date, { incremental: record ? { code: await siteCodeDigest(), previous: previousBuild } : undefined, background, base, project: cwd, history: await history });
  process.env.HINDSIGHT_CONTENT = contentDir;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build: astroBuild } = await import('astro');
  const project = await astroProject(outDir, { keep: cacheDir !== undefined, mark: true });
  let plan: Awaited<ReturnType<typeof handedPlan>>;
  let kept = 0;
  let completed = false;
  try {
    // Astro writes its own addresses (`_astro/` assets) under the same base as the pages.
    await project.inside(() => astroBuild(project.config({ outDir: partial, logLevel: 'warn', base, ...(baseUrl ? { site: absoluteAddress(baseUrl, base, '/') } : {}) })));
    plan = await handedPlan();
    if (plan && previousBuild && existsSync(outDir)) {
      // Incremental: the pages that show nothing new and the search files written the same are
      // linked from the output into the new site, which is then whole, as a full build's.
      const unchanged = [...plan.pages.keys()].filter((address) => !plan!.render.has(address));
      linkInto(partial, outDir, [...unchanged.map(outputFile), ...keptSearchFiles()]);
      kept = unchanged.length;
    }
    // The record goes before the output changes and the new one comes after: a build killed in
    // between is followed by a full build. The old record must not stay with the new output: a
    // page whose fingerprint went from A to B and back would be taken from the output showing B.
    if (record) rmSync(record, { force: true });
    fault('output');
    // Two renames: the old site moves aside, the new one in. A build killed between them leaves
    // no output folder, and the next build first moves the old site back (removeLeftovers).
    const hadOutput = await rename(outDir, previous).then(() => true, (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    });
    fault('swap');
    await rename(partial, outDir).catch(async (error: unknown) => {
      if (hadOutput) await rename(previous, outDir);
      throw error;
    });
    if (plan && record) await writeSealed(record, JSON.stringify(Object.fromEntries(plan.pages)), 'record');
    fault('cleanup');
    if (hadOutput) removeInBackground(previous);
    completed = true;
  } finally {
    await rm(partial, { recursive: true, force: true });
    await project.dispose(completed);
  }
  const published = publishedOf(kb).length;
  const warnings = kb.diagnostics.length;
  return {
    status: 0,
    stdout: `Built ${published} incident page${published === 1 ? '' : 's'} into ${path.relative(cwd, outDir) || '.'}/${kept ? `, ${kept} of ${plan!.pages.size} pages, exports and search rows unchanged from the last build` : ''}${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'}; run hindsight validate)` : ''}.\n`,
  };
}

/** The record of the last build into `outDir`; undefined when missing, cut short or garbled (then every page is rendered). */
async function readRecord(record: string, outDir: string): Promise<PreviousBuild | undefined> {
  const bytes = await readSealed(record);
  try {
    const pages = bytes && (JSON.parse(bytes.toString('utf8')) as unknown);
    return pages && typeof pages === 'object' && !Array.isArray(pages) ? { dir: outDir, pages: pages as PreviousBuild['pages'] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes what killed builds into `outDir` left beside it, `<out>.partial-<pid>` (a new site
 * unfinished) and `<out>.previous-<pid>-<n>` (an old site not yet removed), of processes no longer
 * running, or of one that had this process's pid (a container gives every build the same). A
 * build killed between its two renames left no output folder: its old site is moved back first.
 */
function removeLeftovers(outDir: string): void {
  const parent = path.dirname(outDir);
  const prefix = `${path.basename(outDir)}.`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const left = names.flatMap((name) => {
    const match = name.startsWith(prefix) ? /^(partial|previous)-(\d+)(?:-[0-9a-f]+)?$/.exec(name.slice(prefix.length)) : null;
    const pid = Number(match?.[2]);
    return match && (pid === process.pid || !running(pid)) ? [{ old: match[1] === 'previous', dir: path.join(parent, name) }] : [];
  });
  const restored = existsSync(outDir) ? undefined : left.find((leftover) => leftover.old);
  if (restored) renameSync(restored.dir, outDir);
  for (const leftover of left) if (leftover !== restored) rmSync(leftover.dir, { recursive: true, force: true });
}

/** Why a hard link may not be made where a copy can: another file system, or one without links. */
const CANNOT_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK']);

/**
 * Links `files` (paths relative to both) of the output folder `from` into the new site `to`,
 * copying them where links cannot be made. A file the build wrote itself is left as written.
 * Measured on ext4 (a shared 2-core VM): 1,842 links of 1,000 postmortems' site in 150-270 ms
 * of a 3.4-4.1 s rebuild; 20,500 files (about 10,000 postmortems) in 0.7 s, up to 2.5 s while
 * other work loads the disk; on tmpfs 0.3 s. One link at a time: 16 asynchronous links at a
 * time took twice as long.
 */
function linkInto(to: string, from: string, files: readonly string[]): void {
  const made = new Set<string>();
  let copy = false;
  files.forEach((file, n) => {
    if (n === files.length >> 1) fault('link');
    const target = path.join(to, file);
    const folder = path.dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    for (;;) {
      try {
        if (copy) copyFileSync(path.join(from, file), target, constants.COPYFILE_EXCL);
        else linkSync(path.join(from, file), target);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST') return;
        if (copy || !CANNOT_LINK.has(code)) throw error;
        copy = true;
      }
    }
  });
}

/** Removes the folder named by its argument, at the lowest priority (see removeInBackground). */
const REMOVE = `const fs = require('node:fs'), path = require('node:path');
try { require('node:os').setPriority(19); } catch {}
const remove = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) entry.isDirectory() ? remove(path.join(dir, entry.name)) : fs.unlinkSync(path.join(dir, entry.name));
  fs.rmdirSync(dir);
};
try { remove(process.argv[1]); } catch { fs.rmSync(process.argv[1], { recursive: true, force: true }); }`;

/**
 * Removes the old site, once the new one is in, in a process of its own that this one does not
 * wait for: removing 20,500 files (about 10,000 postmortems) took 1.6-1.8 s on ext4 (fs.rmSync
 * about twice that), a fifth of the 7.7 s rebuild at that size, which is to stay under a quarter
 * of a full build. Should it not finish (killed, or never started), the next build removes what
 * is left (removeLeftovers).
 */
function removeInBackground(dir: string): void {
  const child = spawn(process.execPath, ['-e', REMOVE, dir], { detached: true, stdio: 'ignore', windowsHide: true });
  child.on('error', () => {});
  child.unref();
}
