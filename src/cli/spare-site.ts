/**
 * The spare site: the site the last build replaced, kept in the side folder (`spare/`) instead of
 * being removed. The next incremental build brings it up to date in place and swaps it in: it
 * moves in the files it rendered, links from the output the unchanged files the spare holds
 * another version of, and removes what the new site does not have. A one-page rebuild then
 * reads the spare's folders and links tens of files, instead of making a folder and a link for
 * each of the site's pages (15,264 at 10,000 postmortems, 1-2.7 s on ext4; docs/profiles.md).
 * A build into an empty output, which replaces no site, starts a spare of folders alone while
 * its pages render, so the next build links its pages into them.
 *
 * Nothing is taken on trust: the spare is read as it is on disk, and a file counts as up to date
 * only when it is the output's own (one inode: a link of it), so a spare that a killed build
 * left half changed, or that something else wrote into, comes out right all the same. Crash
 * safety is as with a new site made from links (output-folder.ts): the output is not touched
 * before the swap.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fault } from '../knowledge-base/fault.ts';
import { oldSiteFolder, SiteWriter } from './output-folder.ts';
import { sideFolderOf } from './side-folder.ts';

/** The spare site of the output folder `outDir`. */
export const spareFolderOf = (outDir: string): string => path.join(sideFolderOf(outDir), 'spare');

/** The files and the folders under a folder, relative to it. */
export interface Contents {
  files: string[];
  folders: string[];
}

/** The files and the folders under `dir`. */
export function contentsOf(dir: string): Contents {
  const files: string[] = [];
  const folders: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    (entry.isDirectory() ? folders : files).push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return { files, folders };
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
  /** What the spare holds, read once `taken` were (nothing else changes the spare until then). */
  contents: Contents;
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
export function updateSpare({ spare, partial, outDir, taken, unchanged, contents }: SpareUpdate): void {
  const written = contentsOf(partial).files;
  const site = new Set([...written, ...taken, ...unchanged]);
  const writer = new SiteWriter();
  for (const file of contents.files) if (!site.has(file)) unlinkSync(path.join(spare, file));
  for (const file of written) {
    const target = path.join(spare, file);
    writer.folder(path.dirname(target));
    renameSync(path.join(partial, file), target);
  }
  takeIntoSpare(spare, outDir, unchanged, writer);
  // Folders that hold none of the site's files: emptied above, or made for a page the site no longer has.
  const needed = new Set<string>();
  for (const file of site) for (let dir = path.dirname(file); dir !== '.' && !needed.has(dir); dir = path.dirname(dir)) needed.add(dir);
  for (const folder of contents.folders) if (!needed.has(folder)) rmSync(path.join(spare, folder), { recursive: true, force: true });
}

/**
 * Starts a spare for a new site that will have none, as a build into an empty output makes:
 * the folders of its pages (`folders`, relative to the site), made by asynchronous calls while
 * Astro renders the pages on the same thread. The next build then links the pages it takes
 * into folders that are there (see takeIntoSpare) instead of making one for each: 15,000 at
 * 10,000 postmortems, 0.7-2.2 s. Nothing depends on it being finished: a spare is never trusted.
 */
export async function startSpare(outDir: string, folders: Iterable<string>): Promise<void> {
  const spare = spareFolderOf(outDir);
  const queue = [...new Set(folders)].filter((folder) => folder !== '.');
  // A few at a time: each call waits for a turn of the event loop that renders the pages.
  const maker = async () => {
    for (let folder = queue.pop(); folder !== undefined; folder = queue.pop()) await mkdir(path.join(spare, folder), { recursive: true });
  };
  await Promise.all([maker(), maker(), maker(), maker()]);
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
