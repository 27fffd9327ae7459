/**
 * Hindsight's own commands, each run as `node bin/hindsight.js …` from the package folder
 * with HINDSIGHT_CACHE_DIR pointing at a bench cache: validate cold and warm, a build after
 * validate on the same cache (the order CI runs them in), a full build, a rebuild after one
 * postmortem's body was edited, another after one title was renamed, a third after a second edit
 * (the full build, into no output, leaves a spare of its pages' folders, which the first rebuild
 * links its pages into; the later ones bring the site they replaced up to date; see
 * src/cli/spare-site.ts), and a build by the next
 * version of Hindsight (this package with a comment added to its parser) on the cache and output
 * the last one left. One call is one round of them.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { sideFolderOf } from '../cli/side-folder.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { editOnePostmortem, renameOneTitle } from './corpus.ts';
import { measure, type Measured } from './measure.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUILD_DATE = '2026-11-22';

export interface HindsightDirs {
  content: string;
  cache: string;
  out: string;
}

export interface HindsightRound {
  validateCold: Measured;
  validateWarm: Measured;
  /** `build` on the cache `validate` left, with no previous output. */
  buildAfterValidate: Measured;
  fullBuild: Measured;
  rebuildAfterEdit: Measured;
  rebuildAfterRename: Measured;
  /** After the rename, the same postmortem edited again: a rebuild with the site the last build replaced as its spare. */
  rebuildAfterSecondEdit: Measured;
  /** A build by another version of the code, on the cache and output of this one. */
  buildAfterUpgrade: Measured;
  /** The postmortem the rebuild followed an edit of. */
  edited: string;
  /** The postmortem whose title was renamed. */
  renamed: string;
}

function hindsight(args: string[], cache: string): Promise<Measured> {
  const env = { ...process.env, HINDSIGHT_CACHE_DIR: cache, ASTRO_TELEMETRY_DISABLED: '1' };
  return measure(process.execPath, [path.join(PACKAGE_ROOT, 'bin/hindsight.js'), ...args], { cwd: PACKAGE_ROOT, env });
}

/**
 * Runs `step` as the next version of Hindsight would: with one comment added to the parser of
 * this package, so every cache salt and the site's code digest differ, as after an upgrade; the
 * file is put back as it was afterwards, whatever happens. (A copy of the package elsewhere
 * would need its own node_modules: Astro resolves a linked one to its real path and fails.)
 */
async function asNextVersion<T>(step: () => Promise<T>): Promise<T> {
  const file = path.join(PACKAGE_ROOT, 'src/format/postmortem.ts');
  const text = await readFile(file, 'utf8');
  await writeFile(file, `${text}\n// The next version (written by the bench, removed after its build).\n`);
  try {
    return await step();
  } finally {
    await writeFile(file, text);
  }
}

export async function runHindsight({ content, cache, out }: HindsightDirs, progress: (step: string, m: Measured) => void): Promise<HindsightRound> {
  const validate = ['validate', '--content', content];
  const build = ['build', '--content', content, '--out', out, '--today', BUILD_DATE];

  await rm(cache, { recursive: true, force: true });
  const validateCold = await hindsight(validate, cache);
  progress('validate cold', validateCold);
  const validateWarm = await hindsight(validate, cache);
  progress('validate warm', validateWarm);
  // No previous output: neither the site nor what a build keeps beside it.
  const removeOutput = () => Promise.all([out, sideFolderOf(out)].map((dir) => rm(dir, { recursive: true, force: true })));
  await removeOutput();
  const buildAfterValidate = await hindsight(build, cache);
  progress('build after validate', buildAfterValidate);

  await rm(cache, { recursive: true, force: true });
  await removeOutput();
  const fullBuild = await hindsight(build, cache);
  progress('full build', fullBuild);

  const edited = await editOnePostmortem(content);
  const rebuildAfterEdit = await hindsight(build, cache);
  progress(`rebuild after editing ${edited}`, rebuildAfterEdit);
  const renamed = await renameOneTitle(content);
  const rebuildAfterRename = await hindsight(build, cache);
  progress(`rebuild after renaming the title of ${renamed}`, rebuildAfterRename);
  await editOnePostmortem(content);
  const rebuildAfterSecondEdit = await hindsight(build, cache);
  progress(`rebuild after editing ${edited} again`, rebuildAfterSecondEdit);

  const buildAfterUpgrade = await asNextVersion(() => hindsight(build, cache));
  progress('build by the next version', buildAfterUpgrade);
  return { validateCold, validateWarm, buildAfterValidate, fullBuild, rebuildAfterEdit, rebuildAfterRename, rebuildAfterSecondEdit, buildAfterUpgrade, edited, renamed };
}
