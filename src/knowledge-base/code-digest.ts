/**
 * A hash of Hindsight's own files, so a cache never outlives a change of the code that filled
 * it. Each cache says which files matter to it: the parse cache the parsing code, incremental
 * builds everything that shapes a page.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOP_LEVEL = ['astro.config.mjs', 'package.json', 'package-lock.json'];

/** The hash of the package's files (paths relative to it, with `/`) that `include` picks. */
export async function codeDigest(include: (file: string) => boolean): Promise<string> {
  const listed = await Promise.all(['src', 'schemas'].map(async (dir) => (await readdir(path.join(ROOT, dir), { recursive: true })).map((f) => path.posix.join(dir, f.split(path.sep).join('/')))));
  const files = [...listed.flat(), ...TOP_LEVEL].filter(include).sort();
  const h = createHash('sha1');
  for (const file of files) h.update(file).update('\u0000').update(await readFile(path.join(ROOT, file)).catch(() => Buffer.alloc(0))).update('\u0000');
  return h.digest('base64url');
}
