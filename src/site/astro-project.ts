/**
 * The Astro project that `hindsight build` and `hindsight dev` run: the package's own pages,
 * components, public files and astro.config.mjs, with a scratch root of its own. Astro writes
 * its `.astro/` folder, its caches and the bundle of the pages under its root, so the root is
 * never the package folder: an installed package (node_modules/hindsight-kb) is never written to,
 * and the user's repository gets only its output folder and what is under node_modules/.cache.
 *
 * The scratch root is in the `.cache` of the node_modules folder that holds Hindsight: the
 * user's node_modules/.cache/hindsight/site when it is installed in a project (a global install's
 * own node_modules/.cache, a clone's node_modules/.cache). Two things need it there. Astro takes
 * a page's absolute path for one relative to the root when the two share no folder but `/`, and
 * then cannot find it. And Astro imports the bundle of the pages from under the root, and Node
 * resolves the packages that bundle imports (astro, lunr, luxon…) from there: walking up finds
 * those npm hoisted into the same node_modules, and a `node_modules` link in the scratch folder
 * to the package's own node_modules finds those installed beside it.
 *
 * A build killed in the scratch folder may leave Astro's caches half written: its image cache,
 * for one, writes files in place and copies them into the next build's output as they are. So
 * a build marks the folder as in use while it runs, and one that finds the mark of a process no
 * longer running empties the folder first: the next build after a kill starts Astro cold.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AstroInlineConfig } from 'astro';
import { PACKAGE_ROOT } from '../knowledge-base/code-digest.ts';
import { running } from '../knowledge-base/durable.ts';

export interface AstroProject {
  /** The scratch folder Astro runs in (its root). */
  root: string;
  /** The inline configuration for Astro's `build()` or `dev()`, with `extra` merged in. */
  config(extra?: AstroInlineConfig): AstroInlineConfig;
  /** Runs `work` with the scratch folder as the working folder, as Astro expects its root to be. */
  inside<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Removes the scratch folder when it is not to be kept; else, with `completed`, takes off the
   * mark of a build in it (a build that failed leaves it, and the next one starts cold).
   */
  dispose(completed?: boolean): Promise<void>;
}

/** The node_modules folder that holds Hindsight (its parent when installed), and so its dependencies. */
const MODULES = path.basename(path.dirname(PACKAGE_ROOT)) === 'node_modules' ? path.dirname(PACKAGE_ROOT) : path.join(PACKAGE_ROOT, 'node_modules');

/**
 * Prepares the scratch folder for builds into `outDir` (or a dev server of it), kept between
 * runs so Astro's caches help; with `keep: false` (no cache wanted) it is removed by `dispose`.
 * With `mark`, for a build, the folder is marked as in use until `dispose(true)`.
 */
export async function astroProject(outDir: string, { keep = true, mark = false }: { keep?: boolean; mark?: boolean } = {}): Promise<AstroProject> {
  const key = createHash('sha1').update(outDir).digest('hex').slice(0, 16);
  const root = path.join(MODULES, '.cache', 'hindsight', 'site', key);
  const inUse = path.join(root, 'in-use');
  if (mark) {
    // The pid of the build in it; empty or unreadable, a build was killed writing it.
    const owner = await readFile(inUse, 'utf8').then(Number, () => undefined);
    if (owner !== undefined && !(Number.isInteger(owner) && owner > 0 && owner !== process.pid && running(owner))) {
      // Everything but the link to node_modules, which is not followed.
      for (const entry of await readdir(root)) if (entry !== 'node_modules') await rm(path.join(root, entry), { recursive: true, force: true });
    }
  }
  await mkdir(root, { recursive: true });
  if (mark) await writeFile(inUse, String(process.pid));
  // The package's own node_modules, linked when walking up from the root does not reach it (an
  // installed package's nested dependencies); never inside itself, which would make a loop.
  const modules = path.join(PACKAGE_ROOT, 'node_modules');
  const link = path.join(root, 'node_modules');
  if (existsSync(modules) && path.relative(modules, root).startsWith('..') && !existsSync(link)) {
    await symlink(modules, link, 'dir').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  return {
    root,
    config: (extra = {}) => ({
      ...extra,
      root,
      // Astro reads it relative to the root.
      configFile: path.relative(root, path.join(PACKAGE_ROOT, 'astro.config.mjs')),
      srcDir: path.join(PACKAGE_ROOT, 'src'),
      publicDir: path.join(PACKAGE_ROOT, 'public'),
      cacheDir: path.join(root, 'astro'),
      vite: {
        ...extra.vite,
        cacheDir: path.join(root, 'vite'),
        // The dev server serves the package's files, outside its root.
        server: { ...extra.vite?.server, fs: { allow: [PACKAGE_ROOT, root, ...(extra.vite?.server?.fs?.allow ?? [])] } },
      },
    }),
    async inside(work) {
      const before = process.cwd();
      process.chdir(root);
      try {
        return await work();
      } finally {
        process.chdir(before);
      }
    },
    async dispose(completed = false) {
      if (!keep) await rm(root, { recursive: true, force: true });
      else if (mark && completed) await rm(inUse, { force: true });
    },
  };
}
