import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDate } from '../build-date.ts';
import { hasErrors } from '../diagnostics.ts';
import { loadKnowledgeBase } from '../loader.ts';
import { cacheDirFor } from '../parse-cache.ts';
import { formatPretty } from '../reporters.ts';
import { handOver } from '../site/data.ts';
import { UsageError, type CommandResult } from './result.ts';

export const buildHelp = `Usage: hindsight build [--content DIR] [--out DIR] [--today DATE]

Validates the content folder and, when it has no error, builds the static site. With any
error nothing is written and the previous output is left untouched. The same content and
build date give byte-identical output.

Options:
  --content DIR   content folder (default: content)
  --out DIR       output folder (default: dist)
  --today DATE    build date (YYYY-MM-DD) that overdue actions are measured against
                  (default: SOURCE_DATE_EPOCH when set, else today in UTC)
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

/** The Hindsight package itself, where astro.config.mjs and src/pages live. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BuildOptions {
  cwd: string;
  content?: string;
  out?: string;
  today?: string;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function build({ cwd, content = 'content', out = 'dist', today, color = false, env = process.env }: BuildOptions): Promise<CommandResult> {
  const date = buildDate({ today, env });
  refuseOutput(path.resolve(cwd, out), [cwd, path.resolve(cwd, content), PACKAGE_ROOT]);
  const kb = await loadKnowledgeBase(content, { cwd, html: true, cacheDir: cacheDirFor(cwd, env) });
  if (hasErrors(kb.diagnostics)) {
    return {
      status: 1,
      stderr: `${formatPretty(kb.diagnostics, { files: kb.files }, color)}Build stopped: fix the errors above. Nothing was written to ${out}.\n`,
    };
  }
  const contentDir = path.resolve(cwd, content);
  const outDir = path.resolve(cwd, out);
  // Build beside the output and swap it in at the end, so a failed build leaves the old site.
  const partial = `${outDir}.partial-${process.pid}`;
  handOver(contentDir, kb, date);
  process.env.HINDSIGHT_CONTENT = contentDir;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build: astroBuild } = await import('astro');
  const previous = `${outDir}.previous-${process.pid}`;
  try {
    await astroBuild({ root: PACKAGE_ROOT, outDir: partial, logLevel: 'warn' });
    // Two renames, never a moment without a site: the old one moves aside, the new one in.
    const hadOutput = await rename(outDir, previous).then(() => true, (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    });
    await rename(partial, outDir);
    if (hadOutput) await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  const published = kb.postmortems.filter((p) => p.data.status === 'published').length;
  const warnings = kb.diagnostics.length;
  return {
    status: 0,
    stdout: `Built ${published} incident page${published === 1 ? '' : 's'} into ${path.relative(cwd, outDir) || '.'}/${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'}; run hindsight validate)` : ''}.\n`,
  };
}
