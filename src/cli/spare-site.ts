/**
 * The spare site: the site the last build replaced, kept in the side folder (`spare/`) instead of
 * being removed. The next incremental build brings it up to date in place and swaps it in: it
 * moves in the files it rendered, links from the output the unchanged files the spare holds
 * another version of, and removes what the new site does not have. A one-page rebuild then
 * reads the spare's folders and links tens of files, instead of making a folder and a link for
 * each of the site's pages (15,264 at 10,000 postmortems, 1-2.7 s on ext4; docs/profiles.md).
 *
 * Nothing is taken on trust: the spare is read as it is on disk, and a file counts as up to date
 * only when it is the output's own (one inode: a link of it), so a spare that a killed build
 * left half changed, or that something else wrote into, comes out right all the same. Crash
 * safety is as with a new site made from links (output-folder.ts): the output is not touched
 * before the swap.
 */
import { existsSync, readdirSync, renameSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { fault } from '../knowledge-base/fault.ts';
import { oldSiteFolder, SiteWriter } from './output-folder.ts';
import { sideFolderOf } from './side-folder.ts';

/** The spare site of the output folder `outDir`. */
export const spareFolderOf = (outDir: string): string => path.join(sideFolderOf(outDir), 'spare');

/** Every file under `dir`, relative to it. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

export interface SpareUpdate {
  /** The spare site. */
  spare: string;
  /** Where Astro and the search index wrote this build's files (see output-folder.ts). */
  partial: string;
  /** The output folder, which holds the files the new site takes unchanged. */
  outDir: string;
  /** Files the new site takes from the output that `takeIntoSpare` took already. */
  taken: readonly string[];
  /** The other files the new site takes from the output. */
  unchanged: readonly string[];
}

/**
 * Links `files` of the output `outDir` into the spare where the spare's are not the output's own.
 * A build takes its unchanged pages so while its search files are still being written, and the
 * rest with `updateSpare`.
 */
export function takeIntoSpare(spare: string, outDir: string, files: readonly string[], writer = new SiteWriter()): void {
  files.forEach((file, n) => {
    if (n === files.length >> 1) fault('spare');
    const [from, target] = [path.join(outDir, file), path.join(spare, file)];
    if (!sameFile(from, target)) writer.link(from, target, true);
  });
}

/**
 * Makes the spare the new site, in place, once the build has written every file: the files the
 * new site does not have removed, the files written this build moved in, the unchanged files not
 * yet taken linked from the output where the spare's are not the output's own.
 */
export function updateSpare({ spare, partial, outDir, taken, unchanged }: SpareUpdate): void {
  const written = filesIn(partial);
  const site = new Set([...written, ...taken, ...unchanged]);
  const writer = new SiteWriter();
  for (const file of filesIn(spare)) {
    if (site.has(file)) continue;
    unlinkSync(path.join(spare, file));
    removeEmptyFolders(spare, path.dirname(file));
  }
  for (const file of written) {
    const target = path.join(spare, file);
    writer.folder(path.dirname(target));
    renameSync(path.join(partial, file), target);
  }
  takeIntoSpare(spare, outDir, unchanged, writer);
}

/**
 * Keeps the old site at `old`, swapped out of `outDir`, as its spare. Should a spare be there
 * still, it is moved aside and handed to `remove`.
 */
export function keepAsSpare(old: string, outDir: string, remove: (aside: string) => void): void {
  const dir = spareFolderOf(outDir);
  if (existsSync(dir)) {
    const aside = oldSiteFolder(outDir);
    renameSync(dir, aside);
    remove(aside);
  }
  renameSync(old, dir);
}

/** Whether two paths are the same file (one inode: a link of the other). */
function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
}

/** Removes `folder` of `root` and its parents for as long as they are empty. */
function removeEmptyFolders(root: string, folder: string): void {
  for (let dir = folder; dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    try {
      rmdirSync(path.join(root, dir));
    } catch {
      return; // not empty, or gone already
    }
  }
}
