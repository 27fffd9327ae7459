/**
 * `hindsight init [DIR]`: a knowledge base in an empty or existing repository, from the
 * package's templates/init/: the content folder (settings, a starter cause taxonomy, a service
 * catalogue, one example postmortem as a draft), npm scripts, a .gitignore and a GitHub
 * Actions workflow. It never overwrites a file: files that exist are kept and said so, and
 * package.json and .gitignore only gain what they lack.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import { PACKAGE_ROOT } from '../knowledge-base/code-digest.ts';
import { humanize } from '../site/figures.ts';
import { UsageError, type CommandResult } from './result.ts';

export const initHelp = `Usage: hindsight init [DIR] [--title TEXT] [--content DIR]

Sets up a knowledge base in DIR (default: the current folder), empty or not:
  content/hindsight.yml, causes.yml, services.yml   settings, a starter cause taxonomy, services
  content/postmortems/YEAR/…-example-….md           an example postmortem, as a draft
  package.json                                      scripts validate, build, dev and start
  .gitignore                                        the output folder and node_modules
  .github/workflows/postmortems.yml                 validate pull requests; publish to GitHub Pages
Never overwrites a file: one that exists is kept, and package.json and .gitignore only gain
what they lack.

Options:
  --title TEXT    the knowledge base's title (default: from the folder's name)
  --content DIR   content folder, relative to DIR (default: content)
  -h, --help      show this help
`;

export interface InitOptions {
  cwd: string;
  /** The repository to set up, relative to cwd (default: cwd). */
  dir?: string;
  title?: string;
  content?: string;
  /** Today's date; the machine's local calendar day when omitted. */
  today?: string;
}

/** The npm scripts a knowledge base gets. */
const SCRIPTS = {
  validate: 'hindsight validate',
  build: 'hindsight build',
  dev: 'hindsight dev',
  start: 'hindsight build && hindsight preview',
};

/** This package's name and version, from its package.json. */
const ownPackage = async () => JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

const template = (name: string) => readFile(path.join(PACKAGE_ROOT, 'templates', 'init', name), 'utf8');
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);

export async function init({ cwd, dir = '.', title, content = 'content', today }: InitOptions): Promise<CommandResult> {
  const root = path.resolve(cwd, dir);
  if (existsSync(root) && !(await isFolder(root))) throw new UsageError(`${dir} is a file; give init a folder.`);
  const name = title?.trim() || humanize(path.basename(root).replace(/[_\s]+/g, '-')) || 'Postmortems';
  if (name.length > 120) throw new UsageError('Give a title of at most 120 characters.');
  const date = today ?? DateTime.local().toISODate()!;
  const contentDir = path.resolve(root, content);
  const schemas = path.relative(contentDir, path.join(PACKAGE_ROOT, 'schemas', 'json')).split(path.sep).join('/');
  const values = { title: JSON.stringify(name), schemas, date, due: DateTime.fromISO(date).plus({ days: 30 }).toISODate()!, branch: await currentBranch(root) };

  const done: string[] = [];
  const shown = (file: string) => path.relative(cwd, file).split(path.sep).join('/') || '.';
  /** Writes a file unless it exists. */
  const create = async (file: string, text: string) => {
    await mkdir(path.dirname(file), { recursive: true });
    try {
      await writeFile(file, text, { flag: 'wx' });
      done.push(`  wrote  ${shown(file)}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      done.push(`  kept   ${shown(file)} (it exists)`);
    }
  };

  for (const file of ['hindsight.yml', 'causes.yml', 'services.yml']) await create(path.join(contentDir, file), fill(await template(file), values));
  // The example only when the folder has no postmortem yet, so running init again adds none.
  const postmortems = path.join(contentDir, 'postmortems');
  if (!existsSync(postmortems)) await create(path.join(postmortems, date.slice(0, 4), `${date}-example-expired-certificate.md`), fill(await template('example.md'), values));
  await create(path.join(root, '.github', 'workflows', 'postmortems.yml'), fill(await template('postmortems.yml'), values));
  done.push(await addScripts(path.join(root, 'package.json'), shown));
  done.push(await addIgnored(path.join(root, '.gitignore'), (await template('gitignore')).split('\n').filter(Boolean), shown));

  const flag = content === 'content' ? '' : ` --content ${content}`;
  // Installed in that repository when this package is in its node_modules.
  const installed = !path.relative(path.join(root, 'node_modules'), PACKAGE_ROOT).startsWith('..');
  const next = [
    ...(dir === '.' ? [] : [`cd ${shown(root)}`]),
    ...(installed ? [] : [`npm install --save-dev ${(await ownPackage()).name}`]),
    `npx hindsight new "What happened"${flag}      # start a postmortem`,
    'npm run dev                           # preview the site while you write, drafts included',
    'git add . && git commit -m "Postmortems with Hindsight"',
  ];
  return {
    status: 0,
    stdout: `Set up a knowledge base in ${shown(root)}:\n${done.join('\n')}\n\nNext:\n${next.map((line) => `  ${line}\n`).join('')}To publish on GitHub Pages, set Settings → Pages → Source to "GitHub Actions" and push.\n`,
  };
}

/** Adds the scripts package.json lacks (creating it when there is none), keeping its indentation. */
async function addScripts(file: string, shown: (file: string) => string): Promise<string> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) {
    const own = await ownPackage();
    const pkg = { name: path.basename(path.dirname(file)).toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'postmortems', private: true, type: 'module', scripts: SCRIPTS, devDependencies: { [own.name]: `^${own.version}` } };
    await writeFile(file, `${JSON.stringify(pkg, null, 2)}\n`, { flag: 'wx' });
    return `  wrote  ${shown(file)} (scripts ${Object.keys(SCRIPTS).join(', ')}; run npm install)`;
  }
  let pkg: { scripts?: Record<string, string> };
  try {
    pkg = JSON.parse(text);
  } catch {
    throw new UsageError(`${shown(file)} is not valid JSON; fix it, then run init again.`);
  }
  const added = Object.entries(SCRIPTS).filter(([script]) => pkg.scripts?.[script] === undefined);
  if (!added.length) return `  kept   ${shown(file)} (it has the scripts ${Object.keys(SCRIPTS).join(', ')})`;
  pkg.scripts = { ...pkg.scripts, ...Object.fromEntries(added) };
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  await writeFile(file, `${JSON.stringify(pkg, null, indent)}\n`);
  const skipped = Object.keys(SCRIPTS).filter((script) => !added.some(([name]) => name === script));
  return `  added  scripts ${added.map(([script]) => script).join(', ')} to ${shown(file)}${skipped.length ? ` (kept your ${skipped.join(', ')})` : ''}`;
}

/** Appends the lines .gitignore lacks (creating it when there is none). */
async function addIgnored(file: string, lines: readonly string[], shown: (file: string) => string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const present = new Set((text ?? '').split(/\r?\n/).map((line) => line.trim().replace(/^\//, '')));
  const missing = lines.filter((line) => !present.has(line) && !present.has(line.replace(/\/$/, '')));
  if (!missing.length) return `  kept   ${shown(file)} (it ignores ${lines.join(', ')})`;
  const joined = text === undefined || text === '' || text.endsWith('\n') ? text ?? '' : `${text}\n`;
  await writeFile(file, `${joined}${missing.join('\n')}\n`);
  return text === undefined ? `  wrote  ${shown(file)} (${missing.join(', ')})` : `  added  ${missing.join(', ')} to ${shown(file)}`;
}

const isFolder = (file: string) => stat(file).then((s) => s.isDirectory());

/** The branch the repository is on (what the workflow publishes from), `main` when there is no git repository. */
async function currentBranch(root: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', ['symbolic-ref', '--short', 'HEAD'], { cwd: existsSync(root) ? root : path.dirname(root) });
    return stdout.trim() || 'main';
  } catch {
    return 'main';
  }
}
