/**
 * `node remove-old-site.js <old site> <output folder>`: the process removeInBackground starts
 * (see output-folder.ts). Removes the old site at the lowest priority, one file at a time
 * (quicker than fs.rmSync on ext4), then the side folder when nothing else is left in it.
 */
import { readdirSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import path from 'node:path';
import { tidySideFolder } from './side-folder.ts';

const [oldSite, outDir] = process.argv.slice(2);

function remove(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) remove(path.join(dir, entry.name));
    else unlinkSync(path.join(dir, entry.name));
  }
  rmdirSync(dir);
}

if (oldSite && outDir) {
  try {
    setPriority(19);
  } catch {
    // Not allowed here: removed at the normal priority.
  }
  try {
    remove(oldSite);
  } catch {
    rmSync(oldSite, { recursive: true, force: true });
  }
  tidySideFolder(outDir);
}
