/**
 * The side folder of an output folder, `.<out>.hindsight/` beside it: where a build makes the new
 * site and leaves the old one, to be removed or kept as the next build's spare (see
 * output-folder.ts, spare-site.ts). Its `.gitignore` of `*` keeps `git add -A` from taking in a
 * site being made, kept or removed; it goes away once empty. Shared by
 * the build and the process that removes an old site (remove-old-site.ts).
 */
import { mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What the side folder's `.gitignore` says: ignore everything here, itself included. */
const GITIGNORE = '# Made by hindsight build: a site being built, kept for the next build, or being removed. Removed when empty.\n*\n';

/** The side folder of the output folder `outDir`. */
export const sideFolderOf = (outDir: string): string => path.join(path.dirname(outDir), `.${path.basename(outDir)}.hindsight`);

/** Makes the side folder of `outDir`, with its `.gitignore`, and returns its path. */
export function makeSideFolder(outDir: string): string {
  const side = sideFolderOf(outDir);
  mkdirSync(side, { recursive: true });
  writeFileSync(path.join(side, '.gitignore'), GITIGNORE);
  return side;
}

/** Removes the side folder of `outDir` when it holds nothing but its `.gitignore`. */
export function tidySideFolder(outDir: string): void {
  const side = sideFolderOf(outDir);
  try {
    if (readdirSync(side).some((name) => name !== '.gitignore')) return;
    rmSync(path.join(side, '.gitignore'), { force: true });
    rmdirSync(side);
  } catch {
    // Gone already, or another build is using it.
  }
}
