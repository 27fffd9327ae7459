/**
 * Hindsight's own commands, each run as `node bin/hindsight.js …` from the package folder
 * with HINDSIGHT_CACHE_DIR pointing at a bench cache: validate cold and warm, a full build,
 * and a rebuild after one postmortem was edited. One call is one round of the four.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { editOnePostmortem } from './corpus.ts';
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
  fullBuild: Measured;
  rebuildAfterEdit: Measured;
  /** The postmortem the rebuild followed an edit of. */
  edited: string;
}

function hindsight(args: string[], cache: string): Promise<Measured> {
  const env = { ...process.env, HINDSIGHT_CACHE_DIR: cache, ASTRO_TELEMETRY_DISABLED: '1' };
  return measure(process.execPath, [path.join(PACKAGE_ROOT, 'bin/hindsight.js'), ...args], { cwd: PACKAGE_ROOT, env });
}

export async function runHindsight({ content, cache, out }: HindsightDirs, progress: (step: string, m: Measured) => void): Promise<HindsightRound> {
  const validate = ['validate', '--content', content];
  const build = ['build', '--content', content, '--out', out, '--today', BUILD_DATE];

  await rm(cache, { recursive: true, force: true });
  const validateCold = await hindsight(validate, cache);
  progress('validate cold', validateCold);
  const validateWarm = await hindsight(validate, cache);
  progress('validate warm', validateWarm);

  await rm(cache, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
  const fullBuild = await hindsight(build, cache);
  progress('full build', fullBuild);

  const edited = await editOnePostmortem(content);
  const rebuild = await hindsight(build, cache);
  progress(`rebuild after editing ${edited}`, rebuild);
  return { validateCold, validateWarm, fullBuild, rebuildAfterEdit: rebuild, edited };
}
