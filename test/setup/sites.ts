/**
 * Vitest global setup: builds the shipped knowledge base and the hostile fixture once, with a
 * fixed build date, for every test file that reads or browses a built site (inject('sites')).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const BUILD_DATE = '2026-11-22';

declare module 'vitest' {
  export interface ProvidedContext {
    sites: { shipped: string; hostile: string; buildDate: string };
  }
}

/**
 * Runs `hindsight build` in a child process, with `--today BUILD_DATE` unless `today` is null,
 * from the package folder unless `cwd` says another, with `args` added (`['--base', '/x/']`).
 */
export async function buildSite(content: string, out: string, { env = {}, today = BUILD_DATE, cwd = ROOT, args: extra = [] }: { env?: NodeJS.ProcessEnv; today?: string | null; cwd?: string; args?: readonly string[] } = {}): Promise<string> {
  const args = [path.join(ROOT, 'bin/hindsight.js'), 'build', '--content', content, '--out', out, ...(today ? ['--today', today] : []), ...extra];
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    cwd,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
  });
  return stdout;
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hindsight-sites-'));
  const shipped = path.join(dir, 'shipped');
  const hostile = path.join(dir, 'hostile');
  // One after the other: two Astro builds at once would fight over the two cores.
  await buildSite(path.join(ROOT, 'content'), shipped);
  // From a folder of the user's, with no node_modules, as a globally installed CLI runs.
  await buildSite(path.join(ROOT, 'test/fixtures/hostile'), hostile, { cwd: dir });
  project.provide('sites', { shipped, hostile, buildDate: BUILD_DATE });
  return () => rm(dir, { recursive: true, force: true });
}
