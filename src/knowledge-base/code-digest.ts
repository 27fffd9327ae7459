/**
 * A hash of Hindsight's own files, so a cache never outlives a change of the code that filled
 * it. Each cache says which files matter to it: the parse cache the parsing code, incremental
 * builds everything that shapes a page.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Hindsight package's own folder (where package.json, src/ and schemas/ are): the first
 * folder above this module with a package.json. This module runs from src/knowledge-base/ in a
 * clone and from lib/src/knowledge-base/ in the installed package, which ships both.
 */
export const PACKAGE_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
const TOP_LEVEL = ['astro.config.mjs', 'package.json', 'package-lock.json'];

/** The hash of the package's files (paths relative to it, with `/`) that `include` picks. */
export async function codeDigest(include: (file: string) => boolean): Promise<string> {
  const listed = await Promise.all(['src', 'schemas'].map(async (dir) => (await readdir(path.join(PACKAGE_ROOT, dir), { recursive: true })).map((f) => path.posix.join(dir, f.split(path.sep).join('/')))));
  const files = [...listed.flat(), ...TOP_LEVEL].filter(include).sort();
  const h = createHash('sha1');
  for (const file of files) h.update(file).update('\u0000').update(await readFile(path.join(PACKAGE_ROOT, file)).catch(() => Buffer.alloc(0))).update('\u0000');
  return h.digest('base64url');
}
