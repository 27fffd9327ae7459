/**
 * The `hindsight` command line: a thin dispatcher. Each command is a function taking
 * `{cwd, ...}` and returning its output and status; this is the one place that prints them
 * and sets the exit code. Commands are imported when called, so `validate` does not pay for
 * loading the site builder.
 */
import { parseArgs } from 'node:util';
import { BuildDateError } from '../analysis/build-date.ts';
import { ContentFolderError } from '../knowledge-base/loader.ts';
import { UsageError, type CommandResult } from './result.ts';

export const mainHelp = `Usage: hindsight <command> [options]

Commands:
  init         set up a knowledge base in a repository
  validate     check the postmortems of a content folder
  new          start a postmortem from the template
  build        validate, then build the static site
  dev          preview the site while you write, drafts included
  preview      serve the built site as a static host would
  stats        headline trends and overdue actions, in the terminal
  public-diff  what the public site leaves out of each postmortem

Run \`hindsight <command> --help\` for a command's options.
`;

const COMMON = { help: { type: 'boolean', short: 'h' }, content: { type: 'string' } } as const;

export async function run(argv: readonly string[], cwd: string, color: boolean): Promise<CommandResult> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'init': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...COMMON, title: { type: 'string' } } });
        const { init, initHelp } = await import('./init.ts');
        if (values.help) return { status: 0, stdout: initHelp };
        if (positionals.length > 1) throw new UsageError('Give init one folder: hindsight init postmortems.');
        return await init({ cwd, ...values, dir: positionals[0] });
      }
      case 'validate': {
        const { values } = parseArgs({ args: rest, options: { ...COMMON, format: { type: 'string' }, audience: { type: 'string' } } });
        const { validate, validateHelp } = await import('./validate.ts');
        return values.help ? { status: 0, stdout: validateHelp } : await validate({ cwd, ...values, color });
      }
      case 'new': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...COMMON, date: { type: 'string' } } });
        const { createPostmortem, newHelp } = await import('./new.ts');
        if (values.help) return { status: 0, stdout: newHelp };
        if (positionals.length > 1) throw new UsageError('Give the title as one argument, in quotes: hindsight new "Queue workers stalled".');
        return await createPostmortem({ cwd, ...values, title: positionals[0] });
      }
      case 'build': {
        const { values } = parseArgs({ args: rest, options: { ...COMMON, out: { type: 'string' }, today: { type: 'string' }, base: { type: 'string' }, audience: { type: 'string' } } });
        const { build, buildHelp } = await import('./build.ts');
        return values.help ? { status: 0, stdout: buildHelp } : await build({ cwd, ...values, color });
      }
      case 'dev': {
        const { values } = parseArgs({ args: rest, options: { ...COMMON, port: { type: 'string' }, host: { type: 'boolean' } } });
        const { dev, devHelp } = await import('./dev.ts');
        return values.help ? { status: 0, stdout: devHelp } : await dev({ cwd, ...values, color });
      }
      case 'preview': {
        const { values } = parseArgs({ args: rest, options: { ...COMMON, out: { type: 'string' }, port: { type: 'string' }, host: { type: 'boolean' }, base: { type: 'string' } } });
        const { preview, previewHelp } = await import('./preview.ts');
        return values.help ? { status: 0, stdout: previewHelp } : await preview({ cwd, ...values });
      }
      case 'public-diff': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...COMMON } });
        const { publicDiff, publicDiffHelp } = await import('./public-diff.ts');
        return values.help ? { status: 0, stdout: publicDiffHelp } : await publicDiff({ cwd, ...values, files: positionals, color });
      }
      case 'stats': {
        const { values } = parseArgs({ args: rest, options: { ...COMMON, since: { type: 'string' }, today: { type: 'string' }, json: { type: 'boolean' } } });
        const { stats, statsHelp } = await import('./stats.ts');
        return values.help ? { status: 0, stdout: statsHelp } : await stats({ cwd, ...values });
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        return { status: command === undefined ? 2 : 0, ...(command === undefined ? { stderr: mainHelp } : { stdout: mainHelp }) };
      default:
        throw new UsageError(`Unknown command ${JSON.stringify(command)}.\n\n${mainHelp}`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ContentFolderError || error instanceof BuildDateError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      return { status: 2, stderr: `hindsight: ${(error as Error).message}\n` };
    }
    throw error;
  }
}

export async function main(): Promise<void> {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const result = await run(process.argv.slice(2), process.cwd(), color);
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.status;
}
