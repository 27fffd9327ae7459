/** Counts the files of a folder and adds up their bytes, for the benchmark's output sizes. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface FolderSize {
  files: number;
  bytes: number;
}

export async function folderSize(dir: string, keep: (relative: string) => boolean = () => true): Promise<FolderSize> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let [files, bytes] = [0, 0];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (!keep(path.relative(dir, file))) continue;
    files += 1;
    bytes += (await stat(file)).size;
  }
  return { files, bytes };
}
