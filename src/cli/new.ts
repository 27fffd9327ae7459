import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DateTime } from 'luxon';
import { isCalendarDate } from '../../schemas/common.ts';
import { idOf, slug } from '../format/ids.ts';
import { listPostmortems, loadCatalog } from '../knowledge-base/loader.ts';
import { postmortemTemplate } from '../format/template.ts';
import { UsageError, type CommandResult } from './result.ts';

export const newHelp = `Usage: hindsight new "Title" [--content DIR] [--date YYYY-MM-DD]

Creates content/postmortems/YEAR/DATE-title.md from the template: every required field and
section is there, and each part to fill in says TODO. Run \`hindsight validate\` to see what
is left. Never overwrites a file, and refuses an id that another postmortem already has.

Options:
  --content DIR   content folder (default: content)
  --date DATE     the incident's date (default: today)
  -h, --help      show this help
`;

export interface NewOptions {
  cwd: string;
  title?: string;
  content?: string;
  date?: string;
  /** Today's date; the machine's local calendar day when omitted. */
  today?: string;
}

export async function createPostmortem({ cwd, title, content = 'content', date, today }: NewOptions): Promise<CommandResult> {
  if (!title?.trim()) throw new UsageError('Give the postmortem a title: hindsight new "Queue workers stalled".');
  const day = date ?? today ?? DateTime.local().toISODate()!;
  if (!isCalendarDate(day)) throw new UsageError(`--date ${JSON.stringify(day)} is not a calendar date written YYYY-MM-DD.`);

  const { root, catalog, relative } = await loadCatalog(content, { cwd });
  const id = `${day}-${slug(title)}`;
  const file = path.join(root, 'postmortems', day.slice(0, 4), `${id}.md`);
  const clash = (await listPostmortems(root)).find((existing) => idOf(existing).toLowerCase() === id.toLowerCase());
  if (clash) {
    return { status: 1, stderr: `${relative(clash)} already has the id ${id}; nothing was written. Choose another title or edit that file.\n` };
  }
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, postmortemTemplate({ title: title.trim(), date: day, catalog }), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { status: 1, stderr: `${relative(file)} already exists; nothing was written.\n` };
    throw error;
  }
  return {
    status: 0,
    stdout: `Created ${relative(file)}\nFill in every TODO, then run: hindsight validate${content === 'content' ? '' : ` --content ${content}`}\n`,
  };
}
