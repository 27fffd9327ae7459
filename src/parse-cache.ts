/**
 * Parse results cached by content hash, so files that have not changed are not parsed again.
 *
 * A key is the hash of Hindsight's own parsing code and locked dependencies, the catalogue
 * (causes, services and settings decide what is valid), the file's path and its text: any
 * change to one of them is a miss. Each content folder has its own cache, in two packs written
 * with v8.serialize: the outcome of every file (id, `related`, diagnostics: all that `validate`
 * needs, and small) and the parsed data the site needs, read only by builds. A pack holds the
 * files of the last run only, so it never grows beyond the content folder.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { CatalogTexts } from './catalog.ts';
import { codeDigest } from './code-digest.ts';
import type { ParseResult, Postmortem } from './postmortem.ts';

/** What `validate` needs of a file: its parse result without the data. */
export type Outcome = Omit<ParseResult, 'postmortem'> & { ok: boolean };
/** The data of a file without errors, and whether its HTML was rendered. */
export interface Stored {
  html: boolean;
  postmortem: Postmortem;
}

const hash = (...parts: string[]) => {
  const h = createHash('sha1');
  for (const part of parts) h.update(part).update('\u0000');
  return h.digest('hex');
};

let codeHash: Promise<string> | undefined;

/** Hash of the code that decides a parse result: src/*.ts, schemas/ and the lockfile. */
function code(): Promise<string> {
  codeHash ??= codeDigest((f) => /^src\/[^/]+\.ts$/.test(f) || /^schemas\/.*\.ts$/.test(f) || f === 'package.json' || f === 'package-lock.json');
  return codeHash;
}

/**
 * Where the CLI keeps its cache: HINDSIGHT_CACHE_DIR (`off` for none), else
 * `node_modules/.cache/hindsight` of the working folder as other tools do, else the temp folder.
 */
export function cacheDirFor(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.HINDSIGHT_CACHE_DIR;
  if (chosen === 'off') return undefined;
  if (chosen) return path.resolve(cwd, chosen);
  const modules = path.join(cwd, 'node_modules');
  return existsSync(modules) ? path.join(modules, '.cache', 'hindsight') : path.join(tmpdir(), 'hindsight-cache');
}

export class ParseCache {
  private outcomes = new Map<string, Outcome>();
  private stored = new Map<string, Stored>();
  private nextOutcomes = new Map<string, Outcome>();
  private nextStored = new Map<string, Stored>();
  private changed = false;

  private readonly folder: string;
  private readonly salt: string;
  private readonly withData: boolean;

  private constructor(folder: string, salt: string, withData: boolean) {
    this.folder = folder;
    this.salt = salt;
    this.withData = withData;
  }

  /** The cache of one content folder under `dir`; `withData` also reads the data pack. */
  static async open(dir: string, contentRoot: string, catalog: CatalogTexts, withData: boolean): Promise<ParseCache> {
    const folder = path.join(dir, hash(path.resolve(contentRoot)).slice(0, 16));
    const salt = hash(await code(), JSON.stringify(catalog));
    const cache = new ParseCache(folder, salt, withData);
    cache.outcomes = await readPack<Outcome>(path.join(folder, 'outcomes.bin'));
    if (withData) cache.stored = await readPack<Stored>(path.join(folder, 'data.bin'));
    return cache;
  }

  key(file: string, text: string): string {
    return hash(this.salt, file, text);
  }

  /** The cached result of a file, or undefined when it must be parsed (again). */
  get(key: string, { data, html }: { data: boolean; html: boolean }): ParseResult | undefined {
    const outcome = this.outcomes.get(key);
    if (!outcome) return undefined;
    const { ok, ...result } = outcome;
    if (!ok || !data) {
      this.keep(key, outcome);
      return result;
    }
    const stored = this.stored.get(key);
    if (!stored || (html && !stored.html)) return undefined;
    this.keep(key, outcome, stored);
    return { ...result, postmortem: stored.postmortem };
  }

  set(key: string, result: ParseResult, html: boolean): void {
    const { postmortem, ...rest } = result;
    this.keep(key, { ...rest, ok: postmortem !== undefined }, postmortem && { html, postmortem });
    this.changed = true;
  }

  private keep(key: string, outcome: Outcome, stored?: Stored) {
    this.nextOutcomes.set(key, outcome);
    if (stored) this.nextStored.set(key, stored);
  }

  /** Writes the packs when anything changed, each replaced in one rename. */
  async save(): Promise<void> {
    if (!this.changed && this.nextOutcomes.size === this.outcomes.size && (!this.withData || this.nextStored.size === this.stored.size)) return;
    await mkdir(this.folder, { recursive: true });
    await writePack(path.join(this.folder, 'outcomes.bin'), this.nextOutcomes);
    // A run that did not read the data pack leaves it as it is: its entries are still valid.
    if (this.withData) await writePack(path.join(this.folder, 'data.bin'), this.nextStored);
  }
}

async function readPack<T>(file: string): Promise<Map<string, T>> {
  try {
    const value = deserialize(await readFile(file)) as unknown;
    return value instanceof Map ? (value as Map<string, T>) : new Map();
  } catch {
    // Missing, or written by another version of Node: start over.
    return new Map();
  }
}

async function writePack(file: string, entries: Map<string, unknown>): Promise<void> {
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, serialize(entries));
  await rename(partial, file);
}
