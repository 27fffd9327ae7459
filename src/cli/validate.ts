import { buildDate } from '../analysis/build-date.ts';
import { hasErrors } from '../format/diagnostics.ts';
import { checkKnowledgeBase } from '../knowledge-base/loader.ts';
import { possibleRecurrences } from '../analysis/recurrence-check.ts';
import { cacheDirFor } from '../knowledge-base/parse-cache.ts';
import { format, FORMATS, type Format } from './reporters.ts';
import { audienceOption } from './options.ts';
import { UsageError, type CommandResult } from './result.ts';

export const validateHelp = `Usage: hindsight validate [--content DIR] [--format pretty|json|github] [--audience internal|public]

Checks every postmortem of the content folder and the rules across files (unique ids,
existing causes, services and related postmortems).

Options:
  --content DIR   content folder (default: content)
  --audience WHO  internal (default) or public: with public, also warns where the public
                  text of a public postmortem looks internal (e-mail addresses,
                  internal_patterns of hindsight.yml, names its internal fields give)
  --format NAME   pretty (default), json (one array of {file, line, column, severity,
                  rule, message}) or github (workflow-command annotations)
  -h, --help      show this help

Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 could not run.
`;

export interface ValidateOptions {
  cwd: string;
  content?: string;
  format?: string;
  /** `internal` (default) or `public`. */
  audience?: string;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function validate({ cwd, content = 'content', format: kind = 'pretty', audience, color = false, env = process.env }: ValidateOptions): Promise<CommandResult> {
  const who = audienceOption(audience);
  if (!(FORMATS as readonly string[]).includes(kind)) {
    throw new UsageError(`Unknown format ${JSON.stringify(kind)}; expected one of ${FORMATS.join(', ')}.`);
  }
  // The build date, as `build` would take it: a remediation item finished after it is an error.
  // With the cross-file check that needs similarity (possible-recurrence), which the analysis layer
  // does: the loader runs it only when some postmortem is unpublished, and reuses its last result
  // when no file changed.
  const kb = await checkKnowledgeBase(content, { cwd, cacheDir: cacheDirFor(cwd, env), today: buildDate({ env }), recurrences: possibleRecurrences, audience: who });
  return {
    status: hasErrors(kb.diagnostics) ? 1 : 0,
    stdout: format(kind as Format, kb.diagnostics, { files: kb.files }, color),
  };
}
