import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { buildDate } from '../analysis/build-date.ts';
import { possibleRecurrences } from '../analysis/recurrence-check.ts';
import { hasErrors } from '../format/diagnostics.ts';
import { loadKnowledgeBase } from '../knowledge-base/loader.ts';
import { PACKAGE_ROOT } from '../knowledge-base/code-digest.ts';
import { cacheDirFor } from '../knowledge-base/parse-cache.ts';
import { readSealed, writeSealed } from '../knowledge-base/durable.ts';
import { fault } from '../knowledge-base/fault.ts';
import { loadHistory } from '../knowledge-base/history.ts';
import { formatPretty } from './reporters.ts';
import { linkInto, prepareOutput, removeInBackground, swapIn } from './output-folder.ts';
import { contentsOf, keepAsSpare, spareFolderOf, startSpare, takeIntoSpare, updateSpare, type Contents } from './spare-site.ts';
import { tidySideFolder } from './side-folder.ts';
import { astroProject } from '../site/astro-project.ts';
import { startBackground } from '../site/background.ts';
import { collectGarbage } from '../site/memory.ts';
import { absoluteAddress } from '../site/base.ts';
import { handedPlan, handOver, keptSearchFiles, publishedOf } from '../site/data.ts';
import { outputFile, siteCodeDigest, type Plan, type PreviousBuild } from '../site/incremental.ts';
import { audienceOption, baseOption, servedBase } from './options.ts';
import { UsageError, type CommandResult } from './result.ts';

export const buildHelp = `Usage: hindsight build [--content DIR] [--out DIR] [--today DATE] [--base PATH] [--audience internal|public]

Validates the content folder and, when it has no error, builds the static site. With any
error nothing is written and the previous output is left untouched. The new site is made
beside the output folder, in .<out>.hindsight/ (which git ignores), and moved in at the end,
so a build that is killed leaves the previous site whole (past that move, the new one), and
the next build clears what it left there. The site a build replaces stays there, mostly as
links to the same files, for the next build to bring up to date (after a build into an empty
output, the folders of its pages). A build into an output that another build is still
building into is refused. The same content and build date give byte-identical output. Files
that have not changed since the last build are not parsed again, and pages that show nothing
new are taken as they are from the previous output; the cache is in
node_modules/.cache/hindsight (HINDSIGHT_CACHE_DIR sets another, \`off\` none).

Options:
  --content DIR   content folder (default: content)
  --out DIR       output folder (default: dist)
  --today DATE    build date (YYYY-MM-DD) that overdue actions are measured against
                  (default: SOURCE_DATE_EPOCH when set, else today in UTC)
  --base PATH     the path the site is served under, like /postmortems/, for this build
                  (default: the path of base_url in hindsight.yml, else /)
  --audience WHO  internal (default): every postmortem, what the public site leaves out
                  marked; public: the public postmortems only, without their internal
                  parts and internal fields, and without git history or edit links
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
  /** `internal` (default) or `public`. */
  audience?: string;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function build({ cwd, content = 'content', out = 'dist', today, base: baseText, audience: who, color = false, env = process.env }: BuildOptions): Promise<CommandResult> {
  const date = buildDate({ today, env });
  const audience = audienceOption(who);
  const override = baseOption(baseText);
  refuseOutput(path.resolve(cwd, out), [cwd, path.resolve(cwd, content), PACKAGE_ROOT]);
  const cacheDir = cacheDirFor(cwd, env);
  // The postmortems' history in git: one `git log` (none when cached) while the files are parsed.
  // The public site shows no history: commits and their authors are internal.
  const history = audience === 'internal' ? loadHistory(content, { cwd, cacheDir, env }) : undefined;
  const kb = await loadKnowledgeBase(content, { cwd, html: true, cacheDir, today: date, recurrences: possibleRecurrences, audience });
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
  // The whole new site is made beside the output and swapped in at the end, so a build that
  // fails or is killed leaves the old site (see output-folder.ts).
  const output = prepareOutput(outDir);
  // The fingerprints of the pages of the last build into this output folder.
  const record = cacheDir && path.join(cacheDir, 'builds', `${createHash('sha1').update(outDir).digest('hex').slice(0, 16)}.json`);
  const previousBuild = record ? await readRecord(record, outDir) : undefined;
  const background = startBackground(publishedOf(kb), kb.catalog);
  // The worker has its copy of the terms, and no page reads them: 80 MB fewer at 10,000 postmortems.
  for (const p of kb.postmortems) {
    p.terms = undefined;
    if (p.public) p.public.terms = undefined;
  }
  // Incremental: the pages that show nothing new are taken from the output as soon as the pages
  // are written, while the search files are still being written on the other core: into the
  // spare site (the site the last build replaced), brought up to date, or, without one, linked
  // into the new site. The spare pays when the new site takes more pages from the output than
  // it renders; after an upgrade, which renders every page, the new folder is swapped in as it is.
  let taken: { pages: string[]; spare?: { dir: string; contents: Contents } } | undefined;
  const takeUnchanged = (plan: Plan) => {
    if (!previousBuild || !existsSync(outDir)) return;
    const pages = [...plan.pages.keys()].filter((address) => !plan.render.has(address)).map(outputFile);
    const spare = spareFolderOf(outDir);
    if (pages.length > plan.render.size && existsSync(spare)) {
      takeIntoSpare(spare, outDir, pages);
      // Read now, while the search files may still be being written: nothing else changes the spare.
      taken = { pages, spare: { dir: spare, contents: contentsOf(spare) } };
    } else {
      linkInto(output.partial, outDir, pages);
      taken = { pages };
    }
  };
  handOver(contentDir, kb, date, { incremental: record ? { code: await siteCodeDigest(), previous: previousBuild, pagesWritten: takeUnchanged } : undefined, background, base, project: cwd, history: await history });
  process.env.HINDSIGHT_CONTENT = contentDir;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build: astroBuild } = await import('astro');
  // Loading left garbage on the heap (the files' texts, the parse workers' messages): collected
  // now, before Astro bundles the pages while the background worker makes the search index, the
  // build's busiest moment for memory (see ../site/memory.ts).
  collectGarbage();
  const project = await astroProject(outDir, { keep: cacheDir !== undefined, mark: true });
  let plan: Awaited<ReturnType<typeof handedPlan>>;
  let kept = 0;
  let completed = false;
  // Whether the old site is being removed in the background, which then removes the side folder.
  let removing = false;
  try {
    // Into an empty output, the new site will have no spare: one is started while the pages
    // render. It is never needed, so its failure is no build's (nor an unhandled rejection
    // when the build fails first).
    const starting = record && !existsSync(outDir) && !existsSync(spareFolderOf(outDir)) ? handedPlan()?.then((made) => startSpare(outDir, [...made.pages.keys()].map((address) => path.dirname(outputFile(address))))).catch(() => {}) : undefined;
    // Astro writes its own addresses (`_astro/` assets) under the same base as the pages.
    await project.inside(() => astroBuild(project.config({ outDir: output.partial, logLevel: 'warn', base, ...(baseUrl ? { site: absoluteAddress(baseUrl, base, '/') } : {}) })));
    plan = await handedPlan();
    await starting;
    let site = output.partial;
    if (taken) {
      // The search files written the same as in the output, taken now that the rest is written.
      const search = keptSearchFiles();
      if (taken.spare) {
        updateSpare({ spare: taken.spare.dir, partial: output.partial, outDir, taken: taken.pages, unchanged: search, contents: taken.spare.contents });
        site = taken.spare.dir;
      } else {
        linkInto(output.partial, outDir, search);
      }
      kept = taken.pages.length;
    }
    // The record goes before the output changes and the new one comes after: a build killed in
    // between is followed by a full build. The old record must not stay with the new output: a
    // page whose fingerprint went from A to B and back would be taken from the output showing B.
    if (record) rmSync(record, { force: true });
    fault('output');
    // Two renames (see swapIn): a build killed between them leaves no output folder, and the
    // next build first moves the old site back.
    const hadOutput = await swapIn({ ...output, partial: site });
    if (plan && record) await writeSealed(record, JSON.stringify(Object.fromEntries(plan.pages)), 'record');
    fault('cleanup');
    // With a build record, the old site is kept for the next build to bring up to date; else removed.
    if (hadOutput && record) keepAsSpare(output.previous, outDir, (aside) => removeInBackground({ ...output, previous: aside }));
    else if (hadOutput) removeInBackground(output);
    removing = hadOutput && !record;
    completed = true;
  } finally {
    await rm(output.partial, { recursive: true, force: true });
    if (!removing) tidySideFolder(outDir);
    await project.dispose(completed);
  }
  const published = publishedOf(kb).length;
  const warnings = kb.diagnostics.length;
  return {
    status: 0,
    stdout: `Built ${published} incident page${published === 1 ? '' : 's'} into ${path.relative(cwd, outDir) || '.'}/${kept ? `, ${kept} of ${plan!.pages.size} pages, exports and search rows unchanged from the last build` : ''}${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'}; run hindsight validate)` : ''}.\n`,
  };
}

/** The record of the last build into `outDir`; undefined when missing, cut short or garbled (then every page is rendered). */
async function readRecord(record: string, outDir: string): Promise<PreviousBuild | undefined> {
  const bytes = await readSealed(record);
  try {
    const pages = bytes && (JSON.parse(bytes.toString('utf8')) as unknown);
    return pages && typeof pages === 'object' && !Array.isArray(pages) ? { dir: outDir, pages: pages as PreviousBuild['pages'] } : undefined;
  } catch {
    return undefined;
  }
}
