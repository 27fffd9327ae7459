/**
 * The benchmark's knowledge bases: generated once per size (seed 1) into
 * `os.tmpdir()/hindsight-bench/<size>/`, the search query picked from them by a fixed rule,
 * and the one-sentence edit made before the incremental rebuild.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeKnowledgeBase } from './generate.ts';

export const BENCH_ROOT = path.join(os.tmpdir(), 'hindsight-bench');

/** Where one size's content folder goes, and the folder beside it for everything else. */
export function benchDirs(size: number) {
  const work = path.join(BENCH_ROOT, `${size}-work`);
  return {
    content: path.join(BENCH_ROOT, String(size)),
    work,
    cache: path.join(work, 'cache'),
    out: path.join(work, 'out'),
    astro: path.join(work, 'astro-peer'),
  };
}

export async function generateCorpus(size: number, dir: string): Promise<{ files: number; bytes: number }> {
  return writeKnowledgeBase(dir, { count: size, seed: 1 });
}

/** The postmortem files under `content/postmortems`, relative paths in sorted order. */
export async function postmortemFiles(content: string): Promise<string[]> {
  const entries = await readdir(path.join(content, 'postmortems'), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => path.relative(content, path.join(e.parentPath, e.name)))
    .sort();
}

const WORD = /[a-z]+/g;
const titleOf = (text: string) => /^title: (.*)$/m.exec(text)?.[1] ?? '';

export interface Query {
  text: string;
  words: { word: string; documents: number }[];
  /** The postmortem whose title the words come from. */
  from: string;
  rule: string;
}

export const QUERY_RULE =
  'Mid-frequency words are those found in 0.5–5% of the postmortems (and in at least 2). ' +
  'From the middle postmortem in sorted path order onwards, the first whose title holds two ' +
  'such words gives the query: its two longest mid-frequency title words (ties alphabetical).';

/**
 * Two mid-frequency words from one title, so both systems have some results and neither
 * query is a stop word nor a word found once.
 */
export async function pickQuery(content: string): Promise<Query> {
  const files = await postmortemFiles(content);
  // One after the other: 30,000 files open at once pass the limit of open files.
  const texts: string[] = [];
  for (const f of files) texts.push(await readFile(path.join(content, f), 'utf8'));
  const documents = new Map<string, number>();
  for (const text of texts) for (const word of new Set(text.toLowerCase().match(WORD))) documents.set(word, (documents.get(word) ?? 0) + 1);
  const low = Math.max(2, Math.ceil(files.length * 0.005));
  const high = Math.max(low, Math.floor(files.length * 0.05));
  const middle = Math.floor(files.length / 2);
  for (let k = 0; k < files.length; k++) {
    const i = (middle + k) % files.length;
    const candidates = [...new Set(titleOf(texts[i]!).toLowerCase().match(WORD))]
      .filter((w) => w !== 'outage')
      .filter((w) => (documents.get(w) ?? 0) >= low && (documents.get(w) ?? 0) <= high)
      .sort((a, b) => b.length - a.length || a.localeCompare(b));
    if (candidates.length >= 2) {
      const words = candidates.slice(0, 2).map((word) => ({ word, documents: documents.get(word)! }));
      return { text: words.map((w) => w.word).join(' '), words, from: files[i]!, rule: QUERY_RULE };
    }
  }
  throw new Error(`No title in ${content} has two mid-frequency words.`);
}

export const EDIT_SENTENCE = 'The bench appended this sentence to measure a rebuild after one edit.';

/** Appends one sentence to the first paragraph under `## Root cause` of the first postmortem. */
export async function editOnePostmortem(content: string): Promise<string> {
  const [first] = await postmortemFiles(content);
  if (!first) throw new Error(`No postmortem in ${content}.`);
  const file = path.join(content, first);
  const text = await readFile(file, 'utf8');
  const heading = text.indexOf('## Root cause\n\n');
  if (heading < 0) throw new Error(`${file} has no "## Root cause" section.`);
  const paragraphEnd = text.indexOf('\n\n', heading + '## Root cause\n\n'.length);
  if (paragraphEnd < 0) throw new Error(`${file}: the root cause paragraph has no end.`);
  await writeFile(file, `${text.slice(0, paragraphEnd)} ${EDIT_SENTENCE}${text.slice(paragraphEnd)}`);
  return first;
}

/** What the bench adds to the title it renames. */
export const RENAME_SUFFIX = ' (renamed by the bench)';

/**
 * Renames the title of the last postmortem in path order (another than the edited one): every
 * page listing it (its causes, services, related and similar incidents, the home page) shows
 * the new title, as a rename in a real knowledge base does. Returns its path.
 */
export async function renameOneTitle(content: string): Promise<string> {
  const last = (await postmortemFiles(content)).at(-1);
  if (!last) throw new Error(`No postmortem in ${content}.`);
  const file = path.join(content, last);
  const text = await readFile(file, 'utf8');
  const renamed = text.replace(/^title: (.*)$/m, (_, title: string) => `title: ${title.slice(0, 160 - RENAME_SUFFIX.length)}${RENAME_SUFFIX}`);
  if (renamed === text) throw new Error(`${file} has no title line.`);
  await writeFile(file, renamed);
  return last;
}
