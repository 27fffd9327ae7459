/** What the benchmark ran on: CPU, cores, memory, OS, and the versions of what it measured. */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from './hindsight.ts';

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  chromium: string;
  astro: string;
  pagefind: string;
}

/** The version of an installed package (read from its package.json: not every one exports it). */
export function installedVersion(name: string): string {
  const manifest = readFileSync(path.join(PACKAGE_ROOT, 'node_modules', name, 'package.json'), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

export async function describeMachine(chromium: string): Promise<Machine> {
  const release = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const distribution = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1];
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${distribution ?? os.type()} (${os.type()} ${os.release()}, ${os.arch()})`,
    node: process.version,
    chromium,
    astro: installedVersion('astro'),
    pagefind: installedVersion('pagefind'),
  };
}
