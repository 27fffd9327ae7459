/**
 * `hindsight public-diff`: what the public site leaves out, per postmortem, for whoever signs
 * the public version off (communications, legal) in the pull request: each internal part and
 * remediation detail as written, with its line; the values of internal fields; the related
 * postmortems that are internal; and which postmortems are not published at all.
 */
import path from 'node:path';
import { hasErrors } from '../format/diagnostics.ts';
import { fieldsLeftOut, valueAt, type LeftOut } from '../format/postmortem.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import { loadKnowledgeBase } from '../knowledge-base/loader.ts';
import { cacheDirFor } from '../knowledge-base/parse-cache.ts';
import { terminalSafe } from './reporters.ts';
import { UsageError, type CommandResult } from './result.ts';

export const publicDiffHelp = `Usage: hindsight public-diff [--content DIR] [FILE…]

Prints, per postmortem, what its public version leaves out: every internal part
(\`:::internal\` blocks, \`:internal[…]\` text) and remediation detail as written, with
its line; the values of internal fields (internal_fields); the related postmortems that are
internal; and the postmortems that are internal as a whole. With FILE arguments, only
those postmortems. The site \`hindsight build --audience public\` builds leaves out exactly this.

Options:
  --content DIR   content folder (default: content)
  -h, --help      show this help

Exit status: 0 printed, 1 the content has errors (run hindsight validate), 2 could not run.
`;

export interface PublicDiffOptions {
  cwd: string;
  content?: string;
  /** Postmortem files to show (paths from cwd); every postmortem when empty. */
  files?: readonly string[];
  color?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function publicDiff({ cwd, content = 'content', files = [], color = false, env = process.env }: PublicDiffOptions): Promise<CommandResult> {
  const kb = await loadKnowledgeBase(content, { cwd, cacheDir: cacheDirFor(cwd, env) });
  if (hasErrors(kb.diagnostics)) return { status: 1, stderr: 'Some postmortems have errors, so their public versions are unknown; run hindsight validate.\n' };
  const wanted = new Set(files.map((file) => path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/')));
  const shown = kb.postmortems.filter((p) => wanted.size === 0 || wanted.has(p.file)).sort((a, b) => (a.file < b.file ? -1 : 1));
  for (const file of wanted) if (!kb.postmortems.some((p) => p.file === file)) throw new UsageError(`${JSON.stringify(file)} is not a postmortem of ${content}.`);
  const internal = new Set(kb.postmortems.filter((p) => p.visibility === 'internal').map((p) => p.id));
  const bold = (text: string) => (color ? `\u001b[1m${terminalSafe(text)}\u001b[22m` : terminalSafe(text));
  const dim = (text: string) => (color ? `\u001b[2m${text}\u001b[22m` : text);

  let out = '';
  let publicCount = 0;
  for (const p of shown) {
    if (p.visibility === 'internal') {
      out += `${bold(p.file)}\n  internal: the public site does not have this postmortem.\n\n`;
      continue;
    }
    publicCount++;
    const lines = [...fieldLines(p), ...(p.data.related ?? []).filter((id) => internal.has(id)).map((id) => `related: ${id} (an internal postmortem)`), ...(p.leftOut ?? []).map(describe)];
    out += `${bold(p.file)}\n${lines.length === 0 ? `  ${dim('public as written: nothing is left out.')}\n` : lines.map((line) => `  ${terminalSafe(line).replace(/\n/g, '\n    ')}\n`).join('')}\n`;
  }
  const internalCount = shown.length - publicCount;
  out += `${publicCount} public postmortem${publicCount === 1 ? '' : 's'}, ${internalCount} internal.\n`;
  return { status: 0, stdout: out };
}

/** `field: value` of each internal field the public version leaves out. */
function fieldLines(p: Postmortem): string[] {
  if (!p.public) return [];
  return fieldsLeftOut(p.data, p.public.data).map((field) => {
    const value = valueAt(p.data, field)!;
    return `${field}: ${Array.isArray(value) ? value.join(', ') : value}`;
  });
}

function describe(part: LeftOut): string {
  const where = `line ${part.at.line}`;
  switch (part.kind) {
    case 'block':
      return `${where}, internal block:\n${part.text}`;
    case 'inline':
      return `${where}, internal text: ${part.text}`;
    case 'details':
      return `${where}, remediation details: ${part.text}`;
  }
}
