import { createHash } from 'node:crypto';
// Tens of thousands of small files are moved and removed synchronously: several times quicker
// than as many asynchronous calls, and a build has nothing else to do meanwhile.
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildDate } from '../analysis/build-date.ts';
import { possibleRecurrences } from '../analysis/recurrence-check.ts';
import { hasErrors } from '../format/diagnostics.ts';
import { loadKnowledgeBase } from '../knowledge-base/loader.ts';
import { PACKAGE_ROOT } from '../knowledge-base/code-digest.ts';
import { cacheDirFor } from '../knowledge-base/parse-cache.ts';
import { loadHistory } from '../knowledge-base/history.ts';
import { formatPretty } from './reporters.ts';
import { astroProject } from '../site/astro-project.ts';
import { startBackground } from '../site/background.ts';
import { absoluteAddress } from '../site/base.ts';
import { handedPlan, handOver, keptSearchFiles, publishedOf } from '../site/data.ts';
import { outputFile, siteCodeDigest, type PreviousBuild } from '../site/incremental.ts';
import { baseOption, servedBase } from './options.ts';
import { UsageError, type CommandResult } from './result.ts';

export const buildHelp = `Usage: hindsight build [--content DIR] [--out DIR] [--today DATE] [--base PATH]

Validates the content folder and, when it has no error, builds the static site. With any
error nothing is written and the previous output is left untouched. The same content and
build date give byte-identical output. Files that have not changed since the last build are
not parsed again, and pages that show nothing new are left as they are in the output; the
cache is in node_modules/.cache/hindsight (HINDSIGHT_CACHE_DIR sets another, \`off\` none).

Options:
  --content DIR   content folder (default: content)
  --out DIR       output folder (default: dist)
  --today DATE    build date (YYYY-MM-DD) that overdue actions are measured against
                  (default: SOURCE_DATE_EPOCH when set, else today in UTC)
  --base PATH     the path the site is served under, like /postmortems/, for this build
                  (default: the path of base_url in hindsight.yml, else /)
  -h, --help      show this help
`;

/** Replacing the output folder deletes it: refuse one that is, or holds, something to keep. */
function refuseOutput(outDir: string, keep: readonly string[]): void {
  for (const dir of keep.map((d) => path.resolve(d))) {
    const relative = path.relative(outDir, dir);
    if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
      throw new UsageError(`A build replaces its output folder, and ${outDir} ${dir === outDir ? 'is' : 'holds'} ${dir}; give --out a folder of its own, like dist.`);
    }
  }
}


export interface BuildOptions {
  cwd: string;
  content?: string;
  out?: string;
  today?: string;
  /** The path the site is served under, overriding base_url's for this build. */
  base?: string;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function build({ cwd, content = 'content', out = 'dist', today, base: baseText, color = false, env = process.env }: BuildOptions): Promise<CommandResult> {
  const date = buildDate({ today, env });
  const override = baseOption(baseText);
  refuseOutput(path.resolve(cwd, out), [cwd, path.resolve(cwd, content), PACKAGE_ROOT]);
  const cacheDir = cacheDirFor(cwd, env);
  // The postmortems' history in git: one `git log` (none when cached) while the files are parsed.
  const history = loadHistory(content, { cwd, cacheDir, env });
  const kb = await loadKnowledgeBase(content, { cwd, html: true, cacheDir, today: date, recurrences: possibleRecurrences });
  if (hasErrors(kb.diagnostics)) {
    return {
      status: 1,
      stderr: `${formatPretty(kb.diagnostics, { files: kb.files }, color)}Build stopped: fix the errors above. Nothing was written to ${out}.\n`,
    };
  }
  const baseUrl = kb.catalog.settings.base_url;
  const base = servedBase(baseUrl, override);
  const contentDir = path.resolve(cwd, content);
  const outDir = path.resolve(cwd, out);
  // Build beside the output and move it in at the end, so a failed build leaves the old site.
  const partial = `${outDir}.partial-${process.pid}`;
  // The fingerprints of the pages of the last build into this output folder.
  const record = cacheDir && path.join(cacheDir, 'builds', `${createHash('sha1').update(outDir).digest('hex').slice(0, 16)}.json`);
  const previousBuild: PreviousBuild | undefined = record ? await readFile(record, 'utf8').then((text) => ({ dir: outDir, pages: JSON.parse(text) }), () => undefined) : undefined;
  const background = startBackground(publishedOf(kb), kb.catalog);
  handOver(contentDir, kb, date, { incremental: record ? { code: await siteCodeDigest(), previous: previousBuild } : undefined, background, base, project: cwd, history: await history });
  process.env.HINDSIGHT_CONTENT = contentDir;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build: astroBuild } = await import('astro');
  const project = await astroProject(outDir, { keep: cacheDir !== undefined });
  let plan: Awaited<ReturnType<typeof handedPlan>>;
  let kept = 0;
  try {
    // Astro writes its own addresses (`_astro/` assets) under the same base as the pages.
    await project.inside(() => astroBuild(project.config({ outDir: partial, logLevel: 'warn', base, ...(baseUrl ? { site: absoluteAddress(baseUrl, base, '/') } : {}) })));
    plan = await handedPlan();
    if (previousBuild && (await exists(outDir))) {
      // Incremental: the pages that show nothing new and the search files written the same stay
      // where they are; what was written moves in, and what the site no longer has goes.
      const unchanged = plan ? [...plan.pages.keys()].filter((address) => !plan!.render.has(address)) : [];
      update(outDir, partial, [...unchanged.map(outputFile), ...keptSearchFiles()]);
      kept = unchanged.length;
    } else {
      // Two renames, never a moment without a site: the old one moves aside, the new one in.
      const previous = `${outDir}.previous-${process.pid}`;
      const hadOutput = await rename(outDir, previous).then(() => true, (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      });
      await rename(partial, outDir);
      if (hadOutput) rmSync(previous, { recursive: true, force: true });
    }
    if (plan && record) {
      await mkdir(path.dirname(record), { recursive: true });
      await writeFile(record, JSON.stringify(Object.fromEntries(plan.pages)));
    }
  } finally {
    await rm(partial, { recursive: true, force: true });
    await project.dispose();
  }
  const published = publishedOf(kb).length;
  const warnings = kb.diagnostics.length;
  return {
    status: 0,
    stdout: `Built ${published} incident page${published === 1 ? '' : 's'} into ${path.relative(cwd, outDir) || '.'}/${kept ? `, ${kept} of ${plan!.pages.size} pages, exports and search rows unchanged from the last build` : ''}${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'}; run hindsight validate)` : ''}.\n`,
  };
}

const exists = (file: string) => stat(file).then(() => true, () => false);

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/**
 * Brings the output folder up to date in place, synchronously as above: every file of the new
 * build moves in over its old version, and files of the old output that are neither new nor in
 * `kept` (pages of incidents gone, search files past the new count) are removed, with the folders
 * they leave empty. Linking thousands of unchanged pages into a new folder and removing the old
 * one took longer than the whole rest of a rebuild after a small edit.
 */
function update(outDir: string, built: string, kept: readonly string[]): void {
  const keep = new Set(kept);
  const made = new Set<string>();
  for (const file of filesUnder(built)) {
    keep.add(file);
    const target = path.join(outDir, file);
    const folder = path.dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    renameSync(path.join(built, file), target);
  }
  const emptied = new Set<string>();
  for (const file of filesUnder(outDir)) {
    if (keep.has(file)) continue;
    unlinkSync(path.join(outDir, file));
    emptied.add(path.dirname(path.join(outDir, file)));
  }
  // Deepest first, so a folder whose only content was an emptied folder goes too.
  for (const folder of [...emptied].sort((a, b) => b.length - a.length)) {
    // A folder already gone went with an emptied folder inside it.
    for (let dir = folder; dir !== outDir && existsSync(dir) && readdirSync(dir).length === 0; dir = path.dirname(dir)) rmdirSync(dir);
  }
}
