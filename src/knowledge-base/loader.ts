/**
 * Reading a content folder from disk. The only module of the core that touches the file system:
 * the CLI and the site both load postmortems through `loadKnowledgeBase`, so they cannot disagree.
 * Each file is read once; it is parsed only when the cache has no result for its text, and many
 * files are parsed on every core.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, type Dirent, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareDiagnostics, type Diagnostic } from '../format/diagnostics.ts';
import { closest } from '../format/suggest.ts';
import type { Catalog } from '../format/vocabulary.ts';
import type { CatalogTexts, NamedFile, parseCatalog } from './catalog.ts';
import { assembleKnowledgeBase, type KnowledgeBase, type LinkTargets, type ParseResult, type Profiled } from './index.ts';
import { digestOf, ParseCache } from './parse-cache.ts';
import type { Audience } from '../../schemas/visibility.ts';
import { openParsePool, WORKER_THRESHOLD, type ParseInput, type PoolResult } from './parse-pool.ts';
// The parser (Markdown, YAML, zod's checks) is loaded only when a file must be parsed here.

/** The content folder is missing or is not a folder: nothing can be checked (exit status 2). */
export class ContentFolderError extends Error {}

export interface LoadOptions {
  /** Folder that reported paths are relative to. */
  cwd: string;
  /** Render the Markdown to HTML as well (what the site needs). */
  html?: boolean;
  /** Folder of the parse cache; none when undefined. */
  cacheDir?: string;
  /** Parse on worker threads when there are many files (default true). */
  workers?: boolean;
  /** The build date (`YYYY-MM-DD`): a remediation item finished after it is an error. Unchecked when undefined. */
  today?: string;
  /**
   * A check across files that reads the profiles (the recurrence check, which the analysis layer
   * has), and finds nothing when every postmortem is published. With it, its diagnostics are
   * among those returned; the profiles are read only when some postmortem is unpublished, and
   * its diagnostics of the last run are taken again when the files and build date are the same.
   * `validate`'s `profiles` may then be incomplete.
   */
  recurrences?: (profiles: readonly Profiled[]) => Diagnostic[];
  /** Who it is loaded for (default `internal`, everything): `public` keeps the public postmortems only, each as its public version, and reports the redaction check. */
  audience?: Audience;
}

/** Files read between two hand-overs to the parse workers. */
const READ_BATCH = 128;

/** Every postmortem with its data: for the site and for `stats`. */
export async function loadKnowledgeBase(contentDir: string, options: LoadOptions): Promise<KnowledgeBase> {
  const { kb, catalog } = await load(contentDir, options, true);
  return { catalog: await catalog(), ...kb };
}

/**
 * Only what `validate` reports: every diagnostic, the number of files, and the profiles the
 * recurrence check reads. Quicker than loading: files the cache knows need neither parsing nor
 * their data read back.
 */
export async function checkKnowledgeBase(contentDir: string, options: LoadOptions): Promise<Pick<KnowledgeBase, 'diagnostics' | 'files' | 'profiles'>> {
  const { diagnostics, files, profiles } = (await load(contentDir, options, false)).kb;
  return { diagnostics, files, profiles };
}

async function load(contentDir: string, { cwd, html = false, cacheDir, workers = true, today, recurrences, audience = 'internal' }: LoadOptions, data: boolean) {
  const { root, texts, diagnostics, relative } = await readCatalog(contentDir, { cwd });
  const files = (await listPostmortems(root)).map((file) => ({ path: file, shown: relative(file) }));
  const cache = cacheDir === undefined ? undefined : await ParseCache.open(cacheDir, root, texts, data);
  const results: (ParseResult | undefined)[] = new Array(files.length);
  const keys: (string | undefined)[] = new Array(files.length);

  // The catalogue is parsed (zod and YAML loaded) only when needed: for the site's data, for a
  // file to parse here, or when the cache does not have its diagnostics. The files its settings
  // name are looked for at every run: whether they exist is not in the text the cache keys on.
  let parsedCatalog: Promise<ReturnType<typeof parseCatalog>> | undefined;
  const parseTexts = () => (parsedCatalog ??= import('./catalog.ts').then(({ parseCatalog }) => parseCatalog(texts)));
  const cached = data ? undefined : cache?.catalogOutcome(relative(root));
  const catalogOutcome = cached ?? (await parseTexts());
  cache?.setCatalogOutcome(relative(root), catalogOutcome);
  diagnostics.push(...catalogOutcome.diagnostics, ...checkNamedFiles(catalogOutcome.files, { content: root, project: cwd }));

  // Files that look as the cache saw them are not read; the others are, a batch at a time.
  const unread: { index: number; stats?: Stats }[] = [];
  files.forEach(({ path: file, shown }, index) => {
    const stats = cache && statSync(file, { throwIfNoEntry: false });
    const digest = stats && cache!.unchanged(shown, stats);
    keys[index] = digest === undefined ? undefined : cache!.key(shown, digest);
    results[index] = keys[index] === undefined ? undefined : cache!.get(keys[index]!, { data, html });
    if (!results[index]) unread.push({ index, stats });
  });
  // Files to parse go to the workers a batch at a time as they are read, so reading and parsing
  // overlap; with few files to read they are parsed here, where starting workers would cost more.
  const pool = workers && unread.length >= WORKER_THRESHOLD ? openParsePool({ catalog: texts, html, data }) : undefined;
  const here: { index: number; key?: string; input: ParseInput }[] = [];
  const pooled: Promise<void>[] = [];
  const parsed = (index: number, key: string | undefined, reply: PoolResult) => {
    if ('ok' in reply) {
      const { ok: _, ...result } = reply;
      results[index] = result;
      if (key !== undefined) cache!.setOutcome(key, reply);
    } else {
      results[index] = reply;
      if (key !== undefined) cache!.set(key, reply, html);
    }
  };
  try {
    for (let i = 0; i < unread.length; i += READ_BATCH) {
      const misses: typeof here = [];
      for (const { index, stats } of unread.slice(i, i + READ_BATCH)) {
        const { path: file, shown } = files[index]!;
        const text = readText(file, shown, diagnostics);
        if (text === undefined) continue;
        let key: string | undefined;
        if (cache) {
          const digest = digestOf(text);
          if (stats?.isFile()) cache.saw(shown, stats, digest);
          key = keys[index] = cache.key(shown, digest);
          results[index] = cache.get(key, { data, html });
        }
        if (!results[index]) misses.push({ index, key, input: { file: shown, text } });
      }
      if (!pool) here.push(...misses);
      else if (misses.length > 0) {
        const batch = pool.parse(misses.map((m) => m.input)).then((out) => misses.forEach(({ index, key }, j) => parsed(index, key, out[j]!)));
        batch.catch(() => {}); // awaited below, with the others; not an unhandled rejection meanwhile
        pooled.push(batch);
        // Let the workers' replies in, so each gets its next batch while the rest is read.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await Promise.all(pooled);
  } finally {
    await pool?.close();
  }
  if (here.length > 0) {
    const [{ parseFile }, { catalog }] = await Promise.all([import('./parse.ts'), parseTexts()]);
    for (const { index, key, input } of here) parsed(index, key, parseFile(input.text, input.file, catalog, { html }));
  }

  // Profiles of cached postmortems are read (without data, where the cache does not give them)
  // only for a check that needs them: with `recurrences`, when some postmortem is unpublished
  // and the check's diagnostics are not cached for these very files and build date.
  let crossDiagnostics: Diagnostic[] = [];
  const unpublished = results.some((r, i) => r !== undefined && (r.profile?.status ?? (keys[i] === undefined ? undefined : cache!.status(keys[i]!)) ?? 'published') !== 'published');
  let crossKey: string | undefined;
  let wanted = recurrences === undefined || unpublished;
  if (recurrences && unpublished && cache) {
    const h = createHash('sha1').update(today ?? '').update('\u0000').update(audience).update('\u0000');
    for (const key of keys) h.update(key ?? '').update('\u0000');
    crossKey = h.digest('hex');
    const reused = cache.recurrenceOutcome(crossKey);
    if (reused) (crossDiagnostics = reused), (wanted = false);
  }
  if (wanted && cache && !data) await addProfiles(results, keys, files, cache, async () => (await parseTexts()).catalog);

  // Files that could not be read have no result, only their diagnostic.
  const read = results.filter((r) => r !== undefined);
  // Links to cause and service pages are checked against the catalogue, parsed for them only when there are some.
  const targets = read.some((r) => r.pageLinks.some((link) => link.kind !== 'incidents')) ? linkTargets((await parseTexts()).catalog) : {};
  const kb = assembleKnowledgeBase(read, diagnostics, targets, today, audience);
  if (recurrences && wanted) crossDiagnostics = recurrences(kb.profiles);
  if (crossKey !== undefined) cache!.setRecurrenceOutcome({ key: crossKey, diagnostics: crossDiagnostics });
  await cache?.save();
  if (crossDiagnostics.length > 0) kb.diagnostics = [...kb.diagnostics, ...crossDiagnostics].sort(compareDiagnostics);
  return { kb, catalog: async () => (await parseTexts()).catalog };
}

/**
 * Gives each cached result without errors its profile, from the profiles pack; a file whose
 * profile is not there (the pack missing, or older) is read and parsed again for it.
 */
async function addProfiles(results: (ParseResult | undefined)[], keys: readonly (string | undefined)[], files: readonly { path: string; shown: string }[], cache: ParseCache, catalog: () => Promise<Catalog>) {
  for (let i = 0; i < results.length; i++) {
    const result = results[i];
    const key = keys[i];
    if (!result || result.profile || key === undefined || cache.status(key) === undefined) continue;
    let profile = await cache.profile(key);
    if (!profile) {
      const text = readText(files[i]!.path, files[i]!.shown, []);
      if (text === undefined || digestOf(text) !== key.slice(key.lastIndexOf('\u0000') + 1)) continue;
      const { parseFile } = await import('./parse.ts');
      profile = parseFile(text, files[i]!.shown, await catalog()).profile;
      if (!profile) continue;
      cache.setProfile(key, profile);
    }
    results[i] = { ...result, profile };
  }
}

/** The causes and services of the catalogue, as links may name them. */
function linkTargets({ causes, services }: Catalog): LinkTargets {
  return { causes: causes?.keys(), services: services?.keys() };
}

/** The settings, causes and services of a content folder, without its postmortems. */
export async function loadCatalog(contentDir: string, options: LoadOptions) {
  const { texts, diagnostics, ...rest } = await readCatalog(contentDir, options);
  const parsed = (await import('./catalog.ts')).parseCatalog(texts);
  return { ...rest, texts, catalog: parsed.catalog, diagnostics: [...diagnostics, ...parsed.diagnostics, ...checkNamedFiles(parsed.files, { content: rest.root, project: options.cwd })] };
}

/** What can run in an SVG opened at its own address: script, event attributes, script addresses, embedded documents. */
const SVG_SCRIPT = /<script\b|\son[a-z]+\s*=|javascript:|<foreignObject\b|<(?:iframe|embed|object)\b/i;

/**
 * `file-missing` for each file hindsight.yml names that is not a file on disk: the logo,
 * relative to the content folder, and component overrides, relative to the project root (the
 * working folder), with the nearest name in the folder it would be in; `logo-unsafe` for an SVG
 * logo that holds script.
 */
export function checkNamedFiles(files: readonly NamedFile[], folders: Record<NamedFile['from'], string>): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const named of files) {
    const full = path.resolve(folders[named.from], named.path);
    const info = statSync(full, { throwIfNoEntry: false });
    if (info?.isFile()) {
      const script = named.setting === 'logo' && path.extname(full).toLowerCase() === '.svg' ? SVG_SCRIPT.exec(readFileSync(full, 'utf8')) : null;
      if (script) found.push({ file: named.file, line: named.line, column: named.column, severity: 'error', rule: 'logo-unsafe', message: `\`logo\` names \`${named.path}\`, an SVG that holds script (\`${script[0]}\`); the logo is served from the site's own address, where it would run. Remove it, or use a PNG.` });
      continue;
    }
    const where = named.from === 'content' ? 'the content folder' : 'the project root (the folder hindsight runs in)';
    let problem: string;
    if (info) problem = 'which is a folder; a file is expected.';
    else {
      let siblings: Dirent[] = [];
      try {
        siblings = readdirSync(path.dirname(full), { withFileTypes: true });
      } catch {
        // No folder either: nothing to suggest.
      }
      // A misspelt name, compared without the extension (which the schema has checked), so the
      // shared `.astro` does not make every other component look close.
      const extension = path.extname(full);
      const stems = siblings.filter((entry) => entry.isFile() && path.extname(entry.name) === extension).map((entry) => path.basename(entry.name, extension));
      const stem = closest(path.basename(full, extension), stems);
      const near = stem === undefined ? undefined : `${stem}${extension}`;
      problem = `which does not exist in ${where}${near === undefined ? '.' : `; did you mean \`${path.posix.join(path.posix.dirname(named.path), near)}\`?`}`;
    }
    found.push({ file: named.file, line: named.line, column: named.column, severity: 'error', rule: 'file-missing', message: `\`${named.setting}\` names \`${named.path}\`, ${problem}` });
  }
  return found;
}

/** The texts of the catalogue files, unparsed, with the problems of reading them. */
async function readCatalog(contentDir: string, { cwd }: LoadOptions) {
  const root = path.resolve(cwd, contentDir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new ContentFolderError(`Content folder ${JSON.stringify(contentDir)} does not exist or is not a folder.`);
  const relative = (file: string) => path.relative(cwd, file).split(path.sep).join('/');

  const diagnostics: Diagnostic[] = [];
  const texts: CatalogTexts = {};
  for (const [key, name] of [['settings', 'hindsight.yml'], ['causes', 'causes.yml'], ['services', 'services.yml']] as const) {
    const file = path.join(root, name);
    const text = readText(file, relative(file), diagnostics);
    if (text !== undefined) texts[key] = { file: relative(file), text };
    else if (key === 'causes' && !diagnostics.some((d) => d.file === relative(file))) {
      diagnostics.push({ file: relative(file), line: 1, column: 1, severity: 'error', rule: 'causes-missing', message: 'The content folder has no causes.yml; create it with the cause taxonomy (see docs/format.md).' });
    }
  }
  return { root, texts, diagnostics, relative };
}

/** Every `*.md` under the content folder's `postmortems/`, in a stable order. */
export async function listPostmortems(root: string): Promise<string[]> {
  const folder = path.join(root, 'postmortems');
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** The file's text; undefined (with a diagnostic unless it is simply absent) when it cannot be read. */
function readText(file: string, shown: string, diagnostics: Diagnostic[]): string | undefined {
  let bytes: Buffer;
  try {
    // Synchronous: for thousands of small files several times quicker than asynchronous reads.
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      diagnostics.push({ file: shown, line: 1, column: 1, severity: 'error', rule: 'file-read', message: (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'This is a folder; a file is expected here.' : `The file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).` });
    }
    return undefined;
  }
  // A byte order mark is dropped, as a decoder would.
  if (isUtf8(bytes)) return bytes.toString('utf8').replace(/^\uFEFF/, '');
  const bad = firstInvalidUtf8(bytes);
  const before = bytes.subarray(0, bad).toString('utf8').split('\n');
  diagnostics.push({ file: shown, line: before.length, column: before[before.length - 1]!.length + 1, severity: 'error', rule: 'file-encoding', message: 'The file is not valid UTF-8 text; save it as UTF-8.' });
  return undefined;
}

function firstInvalidUtf8(bytes: Buffer): number {
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection on the fatal decoder.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  // A sequence cut short at the end of the valid prefix belongs to the bad part: back up to its lead byte.
  let end = low;
  while (end > 0 && end > low - 3 && (bytes[end - 1]! & 0xc0) === 0x80) end--;
  if (end > 0 && bytes[end - 1]! >= 0xc0) return end - 1;
  return low;
}
