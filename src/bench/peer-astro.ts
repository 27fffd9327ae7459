/**
 * The bare Astro peer: copies the template in src/bench/peer-astro/ into a temporary project,
 * links its node_modules to Hindsight's, and times a cold `astro build` of one page per
 * postmortem (content collection, glob loader, no validation).
 */
import { cp, mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, type Measured } from './measure.ts';
import { PACKAGE_ROOT } from './hindsight.ts';
import { folderSize, type FolderSize } from './sizes.ts';

const TEMPLATE = fileURLToPath(new URL('./peer-astro/', import.meta.url));

export interface AstroPeerResult {
  build: Measured;
  output: FolderSize;
}

export async function runAstroPeer(postmortems: string, project: string): Promise<AstroPeerResult> {
  await rm(project, { recursive: true, force: true });
  await mkdir(project, { recursive: true });
  await cp(TEMPLATE, project, { recursive: true });
  await symlink(path.join(PACKAGE_ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  // Cold: no data store, no Vite or Astro cache, no previous output.
  for (const dir of ['.astro', '.astro-cache', '.vite-cache', 'dist']) await rm(path.join(project, dir), { recursive: true, force: true });
  const env = { ...process.env, PEER_POSTMORTEMS: postmortems, ASTRO_TELEMETRY_DISABLED: '1' };
  const astro = path.join(project, 'node_modules/astro/bin/astro.mjs');
  const build = await measure(process.execPath, [astro, 'build', '--silent'], { cwd: project, env });
  return { build, output: await folderSize(path.join(project, 'dist')) };
}
