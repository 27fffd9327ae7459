/**
 * Hindsight as a new user meets it: `npm pack` here, the tarball installed into an empty git
 * repository outside the project, then `init`, `new`, `validate`, a build of real postmortems
 * with a base_url under /postmortems/, that site served under the path and crawled in Chromium,
 * and `hindsight dev` seeing a save. Everything runs through npm and npx in the user's folder,
 * on this Node (22) first on the PATH, as a user's terminal would.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { launch } from '../src/tools/chromium.ts';
import { serve } from '../src/site/static-server.ts';
import { crawl } from './helpers/crawl.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const exec = promisify(execFile);
/** npm and npx as the user runs them: this Node first on the PATH, no colour, no telemetry. */
const ENV = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1', ASTRO_TELEMETRY_DISABLED: '1', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
// The test runs under `npm test` and vitest, whose variables (npm_config_*, npm_package_*,
// VITEST*, NODE_ENV=test) a user's terminal does not have: Vite and Astro behave otherwise under them.
for (const key of Object.keys(ENV)) if (/^(npm_(package|lifecycle|config_(?!fund|audit|update_notifier))|VITEST|NODE_ENV$|TEST$)/.test(key)) delete ENV[key as keyof typeof ENV];

let tmp: string;
let user: string;
let browser: Browser;

/** Runs a command in the user's repository; resolves with its output, or rejects with it. */
async function run(command: string, args: string[], { cwd = user, allowFailure = false } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env: ENV, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (!allowFailure) throw new Error(`${command} ${args.join(' ')} failed (${e.code}):\n${e.stdout}\n${e.stderr}`);
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Every file under a folder with its size and modification time, to see that nothing changed. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(entries.map(async (e) => {
    const file = path.join(e.parentPath, e.name);
    const info = await stat(file);
    return `${path.relative(dir, file)} ${e.isDirectory() ? 'dir' : `${info.size} ${info.mtimeMs}`}`;
  })).then((list) => list.sort());
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-package-'));
  user = path.join(tmp, 'acme-postmortems');
  await run('npm', ['pack', '--pack-destination', tmp], { cwd: ROOT });
  const tarball = (await readdir(tmp)).find((f) => f.endsWith('.tgz'))!;
  await run('mkdir', ['-p', user], { cwd: tmp });
  await run('git', ['init', '--quiet', '--initial-branch', 'main']);
  await run('npm', ['install', '--save-dev', '--prefer-offline', path.join(tmp, tarball)]);
  browser = await launch();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the packed package in a repository of its own', () => {
  let installed: string[];

  it('ships what users need and nothing of the tests, fixtures or benchmark', async () => {
    const pkg = path.join(user, 'node_modules', 'hindsight-kb');
    const files = (await snapshot(pkg)).map((line) => line.split(' ')[0]!);
    for (const needed of ['bin/hindsight.js', 'lib/src/cli/main.js', 'lib/src/index.js', 'lib/src/index.d.ts', 'src/pages/[...overview].astro', 'astro.config.mjs', 'schemas/json/causes.schema.json', 'templates/init/causes.yml', 'public/favicon.svg']) expect(files).toContain(needed);
    expect(files.filter((f) => /^(test|src\/bench|src\/tools|content|docs\/screenshots|\.ci)(\/|$)/.test(f))).toEqual([]);
    const manifest = JSON.parse(await readFile(path.join(pkg, 'package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(manifest.engines.node).toBe('>=22.12.0');
    installed = await snapshot(pkg);
  });

  it('runs init, new and validate as the README says', async () => {
    const init = await run('npx', ['hindsight', 'init']);
    expect(init.stdout).toContain('wrote  content/causes.yml');
    expect(init.stdout).toContain('wrote  .github/workflows/postmortems.yml');
    // The YAML files name their schema inside the installed package, for the editor.
    expect(await readFile(path.join(user, 'content', 'causes.yml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/node_modules\/hindsight-kb\/schemas\/json\/causes\.schema\.json\n/);
    expect(JSON.parse(await readFile(path.join(user, 'package.json'), 'utf8')).scripts).toMatchObject({ validate: 'hindsight validate', build: 'hindsight build', dev: 'hindsight dev' });
    const workflow = await readFile(path.join(user, '.github', 'workflows', 'postmortems.yml'), 'utf8');
    const jobs = (parse(workflow) as { jobs: Record<string, { needs?: string; steps: { uses?: string; run?: string }[] }> }).jobs;
    expect(Object.keys(jobs)).toEqual(['validate', 'build', 'deploy']);
    expect(jobs.deploy!.needs).toBe('build');
    for (const step of ['npx hindsight validate --format github', 'actions/upload-pages-artifact', 'actions/deploy-pages', 'node_modules/.cache/hindsight', 'branches: [main]', 'npm ci']) expect(workflow).toContain(step);

    const created = await run('npx', ['hindsight', 'new', 'Checkout latency spike']);
    expect(created.stdout).toMatch(/^Created content\/postmortems\/\d{4}\/\d{4}-\d\d-\d\d-checkout-latency-spike\.md\n/);
    // A draft's gaps are warnings: exit 0.
    const checked = await run('npx', ['hindsight', 'validate']);
    expect(checked.stdout).toMatch(/⚠ \d+ warnings in 1 file \(2 postmortems checked\)\./);
    const again = await run('npx', ['hindsight', 'init']);
    expect(again.stdout).not.toContain('wrote');
  }, 60_000);

  it('builds real postmortems under /postmortems/, and that site served there has nothing broken', async () => {
    // A knowledge base of real postmortems: the shipped one, with a project site's base_url.
    await cp(path.join(ROOT, 'content'), path.join(user, 'content'), { recursive: true, force: true });
    // Its causes and services replace the starter ones, which init's example names.
    const example = (await run('git', ['ls-files', '--others', 'content/postmortems'])).stdout.split('\n').find((f) => f.includes('-example-'))!;
    await rm(path.join(user, example));
    const settings = path.join(user, 'content', 'hindsight.yml');
    await writeFile(settings, (await readFile(settings, 'utf8')).replace(/^base_url: .*$/m, 'base_url: https://acme.github.io/postmortems/'));
    const built = await run('npm', ['run', 'build']);
    expect(built.stdout).toMatch(/Built 14 incident pages into dist\//);

    const server = await serve(path.join(user, 'dist'), { prefix: '/postmortems/' });
    try {
      const result = await crawl(browser, `${server.url}/postmortems/`, { search: 'leap day' });
      // Every page: the sections, the missing page, and one per incident, cause and service.
      const kb = await loadKnowledgeBase('content', { cwd: user });
      const services = new Set([...kb.catalog.services!.keys(), ...kb.postmortems.flatMap((p) => p.data.blast_radius.services)]);
      expect(result.pages).toBe(8 + kb.postmortems.filter((p) => p.data.status === 'published').length + kb.catalog.causes!.size + services.size);
      expect(result.searchResults).toBeGreaterThan(0);
      expect(result.broken).toEqual([]);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('previews with `hindsight dev`: a save shows on the page and its problems in the terminal and on the page', async () => {
    const port = 4500 + Math.floor(Math.random() * 400);
    // What `npx hindsight dev` runs, started directly so that the test can stop it.
    const bin = path.join(user, 'node_modules', 'hindsight-kb', 'bin', 'hindsight.js');
    const child: ChildProcess = spawn(process.execPath, [bin, 'dev', '--port', String(port)], { cwd: user, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    try {
      await expect.poll(() => /Previewing content at (http:\S+)/.exec(output)?.[1], { timeout: 60_000, interval: 200 }).toBeTruthy();
      const base = /Previewing content at (http:\S+)/.exec(output)![1]!;
      expect(base).toMatch(/\/postmortems\/$/);
      const page = (id: string) => fetch(`${base}incidents/${id}/`).then((r) => r.text());
      // A draft is in the preview, marked; the one `new` wrote, still full of TODO, has no page
      // yet, and its gaps are listed on every page.
      const azure = path.join(user, 'content', 'postmortems', '2014', '2014-11-19-azure-storage.md');
      const written = path.join(user, 'content', 'postmortems', '2014', '2014-11-19-storage-follow-up.md');
      await writeFile(written, (await readFile(azure, 'utf8')).replace('status: published', 'status: draft'));
      await expect.poll(() => page('2014-11-19-storage-follow-up'), { timeout: 10_000, interval: 100 }).toMatch(/class="badge status"[^>]*>draft<\/span>/);
      expect(await fetch(base).then((r) => r.text())).toMatch(/checkout-latency-spike\.md:\d+:\d+/);
      await rm(written);

      const file = path.join(user, 'content', 'postmortems', '2014', '2014-11-19-azure-storage.md');
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace(/^title: .*$/m, 'title: Saved a moment ago'));
      const saved = Date.now();
      await expect.poll(() => page('2014-11-19-azure-storage'), { timeout: 10_000, interval: 50 }).toContain('Saved a moment ago');
      expect(Date.now() - saved).toBeLessThan(3000);

      await writeFile(file, text.replace(/^severity: SEV1$/m, 'severity: SEV11'));
      await expect.poll(() => output, { timeout: 10_000, interval: 50 }).toContain('Unknown severity `SEV11`');
      // The page keeps its last good version, with the problem shown on it.
      await expect.poll(() => page('2014-11-19-azure-storage'), { timeout: 10_000, interval: 50 }).toContain('Unknown severity');
      expect(await page('2014-11-19-azure-storage')).toContain('Saved a moment ago');
      await writeFile(file, text);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 120_000);
  it("writes nothing into node_modules/hindsight-kb, and git sees only the user's own files", async () => {
    expect(await snapshot(path.join(user, 'node_modules', 'hindsight-kb'))).toEqual(installed);
    const status = (await run('git', ['status', '--porcelain', '--untracked-files=all'])).stdout;
    const paths = status.split('\n').filter(Boolean).map((line) => line.slice(3));
    expect(paths.filter((file) => !/^(content\/|\.github\/workflows\/postmortems\.yml$|package\.json$|package-lock\.json$|\.gitignore$)/.test(file))).toEqual([]);
    expect(paths).toContain('content/hindsight.yml');
  });
});
