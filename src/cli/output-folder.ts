/**
 * The output folder of a build, replaced whole. The new site is made in a folder of its own
 * beside the output, in `.<out>.hindsight/` (the side folder), and swapped in by two renames;
 * the old site is moved into the side folder, where it stays as the next build's spare (see
 * spare-site.ts) or is removed without being waited for. The side folder holds a `.gitignore`
 * of `*`, so `git add -A` in a repository whose `.gitignore` names the output folder never takes
 * in a site being made, kept or removed, and it goes away once it holds nothing else.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
// Tens of thousands of small files are linked and removed synchronously: several times quicker
// than as many asynchronous calls, and a build has nothing else to do meanwhile.
import { constants, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { running } from '../knowledge-base/durable.ts';
import { fault } from '../knowledge-base/fault.ts';
import { UsageError } from './result.ts';
import { makeSideFolder, sideFolderOf } from './side-folder.ts';

/** The folders of one build into an output folder. */
export interface OutputFolder {
  /** The output folder. */
  dir: string;
  /** Where the new site is made. */
  partial: string;
  /** Where the old site goes once the new one is in, to be removed. */
  previous: string;
}

/**
 * Readies the folders of a build into `outDir`: clears what killed builds left (see
 * removeLeftovers), then makes the folder of the new site, in the side folder with its
 * `.gitignore` (in that order: the side folder is never without either while the build runs, so
 * the last build's remover, which removes the side folder once it holds only its `.gitignore`,
 * cannot take it away from under this one).
 */
export function prepareOutput(outDir: string): OutputFolder {
  const side = sideFolderOf(outDir);
  removeLeftovers(outDir, side, '');
  // Builds before the side folder left them beside the output: `<out>.partial-<pid>`, `<out>.previous-<pid>-<n>`.
  removeLeftovers(outDir, path.dirname(outDir), `${path.basename(outDir)}.`);
  const partial = path.join(side, `partial-${process.pid}`);
  mkdirSync(partial, { recursive: true });
  makeSideFolder(outDir);
  // One build at a time into an output: two would share its spare site and Astro's scratch
  // folder. Looked for once this build's own folder is there, so that of two builds starting
  // at once at least one sees the other.
  const other = madeBy(side, '').find((made) => !made.old && made.pid !== process.pid && running(made.pid));
  if (other) {
    rmSync(partial, { recursive: true, force: true });
    throw new UsageError(`Another build (process ${other.pid}) is building into ${outDir}: wait for it to end, or give this one another --out.`);
  }
  return {
    dir: outDir,
    partial,
    previous: oldSiteFolder(outDir),
  };
}

/**
 * A new name in the side folder of `outDir` for an old site to be removed, which the next build
 * removes should this one be killed first (see removeLeftovers). Named for this build alone: the
 * old site of the last build of this process may be going still.
 */
export function oldSiteFolder(outDir: string): string {
  return path.join(sideFolderOf(outDir), `previous-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Moves the new site in: the old site aside, the new one in. A build killed between the two
 * renames leaves no output folder, and the next build first moves the old site back. Returns
 * whether there was an old site (now at `previous`).
 */
export async function swapIn({ dir, partial, previous }: OutputFolder): Promise<boolean> {
  // Written again: a remover racing the start of this build may have taken it (see prepareOutput).
  makeSideFolder(dir);
  const hadOutput = await rename(dir, previous).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  fault('swap');
  await rename(partial, dir).catch(async (error: unknown) => {
    if (hadOutput) await rename(previous, dir);
    throw error;
  });
  return hadOutput;
}

/**
 * Removes what killed builds into `outDir` left in `folder`, `<prefix>partial-<pid>` (a new site
 * unfinished) and `<prefix>previous-<pid>-<n>` (an old site not yet removed), of processes no
 * longer running, or of one that had this process's pid (a container gives every build the
 * same). A build killed between its two renames left no output folder: its old site is moved
 * back first.
 */
function removeLeftovers(outDir: string, folder: string, prefix: string): void {
  const left = madeBy(folder, prefix).filter((made) => made.pid === process.pid || !running(made.pid));
  const restored = existsSync(outDir) ? undefined : left.find((leftover) => leftover.old);
  if (restored) renameSync(restored.dir, outDir);
  for (const leftover of left) if (leftover !== restored) rmSync(leftover.dir, { recursive: true, force: true });
}

/** The folders builds made in `folder`: `<prefix>partial-<pid>` (a new site) and `<prefix>previous-<pid>-<n>` (an old site, `old`). */
function madeBy(folder: string, prefix: string): { old: boolean; pid: number; dir: string }[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const match = name.startsWith(prefix) ? /^(partial|previous)-(\d+)(?:-[0-9a-f]+)?$/.exec(name.slice(prefix.length)) : null;
    return match ? [{ old: match[1] === 'previous', pid: Number(match[2]), dir: path.join(folder, name) }] : [];
  });
}

/** Why a hard link may not be made where a copy can: another file system, or one without links. */
const CANNOT_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK']);

/**
 * Folders made on demand and files linked or copied into a site, for one build: links, or copies
 * once a link could not be made (another file system, or one without links).
 */
export class SiteWriter {
  private readonly made = new Set<string>();
  private copy = false;

  /** Makes the folder `dir` (and its parents) unless this writer made or saw it already. */
  folder(dir: string): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.made.add(dir);
  }

  /** Links (or copies) `from` to `to`; with `replace`, a file already at `to` is replaced, else kept. */
  link(from: string, to: string, replace: boolean): void {
    this.folder(path.dirname(to));
    for (;;) {
      try {
        if (this.copy) copyFileSync(from, to, constants.COPYFILE_EXCL);
        else linkSync(from, to);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST' && replace) unlinkSync(to);
        else if (code === 'EEXIST') return;
        else if (this.copy || !CANNOT_LINK.has(code)) throw error;
        else this.copy = true;
      }
    }
  }
}

/**
 * Links `files` (paths relative to both) of the output folder `from` into the new site `to`,
 * copying them where links cannot be made. A file the build wrote itself is left as written.
 * Measured on ext4 (a shared 2-core VM): 1,842 links of 1,000 postmortems' site in 150-270 ms
 * of a 3.4-4.1 s rebuild; 20,500 files (about 10,000 postmortems) in 0.7 s, up to 2.5 s while
 * other work loads the disk; on tmpfs 0.3 s. One link at a time: 16 asynchronous links at a
 * time took twice as long. A build with a spare site links only what the spare lacks (see
 * spare-site.ts).
 */
export function linkInto(to: string, from: string, files: readonly string[]): void {
  const writer = new SiteWriter();
  files.forEach((file, n) => {
    if (n === files.length >> 1) fault('link');
    writer.link(path.join(from, file), path.join(to, file), false);
  });
}

/**
 * Removes the old site, once the new one is in, in a process of its own that this one does not
 * wait for: removing 20,500 files (about 10,000 postmortems) took 1.6-1.8 s on ext4 (fs.rmSync
 * about twice that), a fifth of the 7.7 s rebuild at that size, which is to stay under a quarter
 * of a full build. Should it not finish (killed, or never started), the next build removes what
 * is left (removeLeftovers).
 */
export function removeInBackground({ dir, previous }: OutputFolder): void {
  const script = fileURLToPath(new URL(`./remove-old-site${path.extname(import.meta.url)}`, import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script, previous, dir], { detached: true, stdio: 'ignore', windowsHide: true });
  child.on('error', () => {});
  child.unref();
}
