/**
 * Parse results cached by content hash, so files that have not changed are not parsed again.
 *
 * Each content folder has its own cache, in packs written with v8.serialize: the outcome of
 * every file (id, `related`, diagnostics, status: all that `validate` needs, and small), the
 * profile of every postmortem the recurrence check reads (read by `validate` only when some
 * postmortem is unpublished and the check's last diagnostics, kept with the outcomes, are not
 * for the same files), and the parsed data the site needs, read only by builds. A result is keyed by the file's path and the hash of
 * its text; a pack also records the hash of what decides every result, Hindsight's own parsing
 * code and locked dependencies and the catalogue (causes, services and settings decide what is
 * valid), and is dropped whole when that changed. A pack holds the files of the last run only
 * (the data pack, up to a tenth more: see `saveData`), so it never grows beyond the content folder.
 *
 * A third pack remembers what each file looked like on disk (size, times, inode) and the hash
 * of its text, so an unchanged file is not even read, as git does for its index. A file whose
 * times fall within two seconds of the run that recorded them is read again all the same: an
 * edit in the same tick of a coarse file-system clock could otherwise go unseen.
 *
 * A run killed while it writes the packs, or a pack garbled on disk, costs parsing again, never
 * a wrong result: each pack is replaced whole and sealed (see durable.ts), so it reads as it was
 * or as missing, and the packs need not agree with one another, every entry being keyed by the
 * text it is for (an additions pack, by the data pack it adds to).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, type Stats } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { CatalogTexts, NamedFile } from './catalog.ts';
import type { Diagnostic } from '../format/diagnostics.ts';
import { codeDigest } from './code-digest.ts';
import { readSealed, readSealedFrames, writeSealed, writeSealedFrames } from './durable.ts';
import type { ParseResult, Postmortem, Profile } from './index.ts';
import { ownBytes } from './search-terms.ts';

/** What `validate` needs of the catalogue: its diagnostics, and the files its settings name (checked on disk at every run). */
export interface CatalogOutcome {
  diagnostics: Diagnostic[];
  files: NamedFile[];
}
/** What `validate` needs of a file: its parse result without the data. */
export type Outcome = Omit<ParseResult, 'postmortem'> & { ok: boolean };
/** An outcome as the outcomes pack keeps it: without the profile (in the profiles pack), with the postmortem's status. */
type KeptOutcome = Omit<Outcome, 'profile'> & { status?: Profile['status'] };
/** The diagnostics of a check across files (the recurrence check), for the files and build date hashed as `key`. */
export interface CrossOutcome {
  key: string;
  diagnostics: Diagnostic[];
}
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

/** The hash of a file's text, which keys its results. */
export const digestOf = (text: string) => hash(text);

/** What a run saw of a file on disk, and the hash of the text it read. */
type Seen = [size: number, mtimeMs: number, ctimeMs: number, ino: number, digest: string];
interface FilesPack {
  /** When the run that recorded them started (ms since the epoch). */
  stamp: number;
  files: Map<string, Seen>;
}
/** Results by key, for the salt they were computed with (the hash of the code and the catalogue). */
interface ResultsPack<T> {
  salt: string;
  entries: Map<string, T>;
  /** Of a data pack: names it, for its additions pack. */
  id?: string;
  /** Of an additions pack: the data pack it adds to. */
  base?: string;
  /** Of the outcomes pack: the catalogue's diagnostics and named files, for the content folder as it was shown. */
  catalog?: { shown: string } & CatalogOutcome;
  /** Of the outcomes pack: the recurrence check's diagnostics of the last run that made it. */
  recurrence?: CrossOutcome;
}
/** The additions pack may hold this many entries whatever the size of the data pack. */
const ADDITIONS_MIN = 50;
/** Times closer than this to the recording run are not trusted (FAT's clock ticks every 2 s). */
const RACY_MS = 2000;

let codeHash: Promise<string> | undefined;

/** Hash of the code that decides a parse result: src/format/, src/knowledge-base/, src/search/terms.ts, schemas/ and the lockfile. */
function code(): Promise<string> {
  codeHash ??= codeDigest((f) => /^src\/(format|knowledge-base)\/.*\.ts$/.test(f) || f === 'src/search/terms.ts' || /^schemas\/.*\.ts$/.test(f) || f === 'package.json' || f === 'package-lock.json');
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
  private outcomes = new Map<string, KeptOutcome>();
  private stored = new Map<string, Stored>();
  /** The profiles pack, once read (at opening with data, else when first asked for). */
  private profiles: Map<string, Profile> | undefined;
  private nextOutcomes = new Map<string, KeptOutcome>();
  private nextStored = new Map<string, Stored>();
  /** Profiles of files parsed in this run. */
  private newProfiles = new Map<string, Profile>();
  private changed = false;
  private catalog: ResultsPack<KeptOutcome>['catalog'];
  private nextCatalog: ResultsPack<KeptOutcome>['catalog'];
  private recurrence: CrossOutcome | undefined;
  private nextRecurrence: CrossOutcome | undefined;
  /** The data pack as read, without its additions: its id and keys. */
  private base: { id?: string; keys: ReadonlySet<string> } = { keys: new Set() };
  private seen: FilesPack = { stamp: 0, files: new Map() };
  private readonly nextSeen: FilesPack = { stamp: Date.now(), files: new Map() };

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
    const results = <T>(value: unknown): value is ResultsPack<T> => (value as ResultsPack<T> | undefined)?.salt === salt && (value as ResultsPack<T>).entries instanceof Map;
    const outcomes = await readPack(path.join(folder, 'outcomes.bin'), results<KeptOutcome>, salt);
    cache.outcomes = outcomes?.entries ?? new Map();
    cache.catalog = outcomes?.catalog;
    cache.recurrence = outcomes?.recurrence;
    if (withData) {
      await cache.readProfiles();
      const base = await readDataPack(path.join(folder, 'data.bin'), salt);
      const added = base && (await readDataPack(path.join(folder, 'data-added.bin'), salt));
      cache.base = { id: base?.id, keys: new Set(base?.entries.keys()) };
      cache.stored = base?.entries ?? new Map();
      if (added && added.base === base!.id) for (const [key, stored] of added.entries) cache.stored.set(key, stored);
    }
    cache.seen = (await readPack(path.join(folder, 'files.bin'), isFilesPack)) ?? cache.seen;
    return cache;
  }

  /**
   * The catalogue's diagnostics and the files its settings name, when cached for the content
   * folder shown as `shown` (paths in them depend on it).
   */
  catalogOutcome(shown: string): CatalogOutcome | undefined {
    return this.catalog?.shown === shown ? { diagnostics: this.catalog.diagnostics, files: this.catalog.files } : undefined;
  }

  setCatalogOutcome(shown: string, { diagnostics, files }: CatalogOutcome): void {
    this.nextCatalog = { shown, diagnostics, files };
    if (JSON.stringify(this.nextCatalog) !== JSON.stringify(this.catalog)) this.changed = true;
  }

  /** The recurrence check's diagnostics of the last run, when it was for the same `key` (see `CrossOutcome`). */
  recurrenceOutcome(key: string): Diagnostic[] | undefined {
    return this.recurrence?.key === key ? this.recurrence.diagnostics : undefined;
  }

  setRecurrenceOutcome(outcome: CrossOutcome): void {
    this.nextRecurrence = outcome;
    if (JSON.stringify(outcome) !== JSON.stringify(this.recurrence)) this.changed = true;
  }

  /** The status of the postmortem of a file kept in this run (from its outcome); undefined when it has errors. */
  status(key: string): Profile['status'] | undefined {
    return this.nextOutcomes.get(key)?.status;
  }

  /** The profile of a file kept in this run, reading the profiles pack the first time; undefined when it has none there. */
  async profile(key: string): Promise<Profile | undefined> {
    return this.newProfiles.get(key) ?? (await this.readProfiles()).get(key);
  }

  private async readProfiles(): Promise<Map<string, Profile>> {
    const salt = this.salt;
    const valid = (value: unknown): value is ResultsPack<Profile> => (value as ResultsPack<Profile> | undefined)?.salt === salt && (value as ResultsPack<Profile>).entries instanceof Map;
    this.profiles ??= (await readPack(path.join(this.folder, 'profiles.bin'), valid, salt))?.entries ?? new Map();
    return this.profiles;
  }

  /** The key of a file's results, from its path and the hash of its text. */
  key(file: string, digest: string): string {
    return `${file}\u0000${digest}`;
  }

  /**
   * The hash of the file's text when it looks exactly as the last run saw it (and is remembered
   * as it was then); undefined when it must be read.
   */
  unchanged(file: string, stats: Stats): string | undefined {
    const seen = this.seen.files.get(file);
    if (!seen || !sameAs(seen, stats) || Math.max(stats.mtimeMs, stats.ctimeMs) > this.seen.stamp - RACY_MS) return undefined;
    this.nextSeen.files.set(file, seen);
    return seen[4];
  }

  /** Remembers a file as it was on disk before it was read, with the hash of the text read. */
  saw(file: string, stats: Stats, digest: string): void {
    this.nextSeen.files.set(file, [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, digest]);
  }

  /** The cached result of a file, or undefined when it must be parsed (again). */
  get(key: string, { data, html }: { data: boolean; html: boolean }): ParseResult | undefined {
    const outcome = this.outcomes.get(key);
    if (!outcome) return undefined;
    const { ok, status: _, ...result } = outcome;
    if (!ok || !data) {
      this.nextOutcomes.set(key, outcome);
      return result;
    }
    // With data the profiles pack was read at opening; a postmortem without its profile there is parsed again.
    const stored = this.stored.get(key);
    const profile = this.profiles?.get(key);
    if (!stored || (html && !stored.html) || !profile) return undefined;
    this.nextOutcomes.set(key, outcome);
    this.nextStored.set(key, stored);
    return { ...result, postmortem: stored.postmortem, profile };
  }

  /** Records the outcome of a file parsed without its data being kept (see `validate`). */
  setOutcome(key: string, outcome: Outcome): void {
    this.keep(key, outcome);
    this.changed = true;
  }

  set(key: string, result: ParseResult, html: boolean): void {
    const { postmortem, ...rest } = result;
    this.keep(key, { ...rest, ok: postmortem !== undefined }, postmortem && { html, postmortem });
    this.changed = true;
  }

  /** Records the profile of a cached postmortem that the profiles pack did not have. */
  setProfile(key: string, profile: Profile): void {
    this.newProfiles.set(key, profile);
    this.changed = true;
  }

  private keep(key: string, { profile, ...outcome }: Outcome, stored?: Stored) {
    this.nextOutcomes.set(key, profile ? { ...outcome, status: profile.status } : outcome);
    if (profile) this.newProfiles.set(key, profile);
    if (stored) this.nextStored.set(key, stored);
  }

  /** Writes the packs when anything changed, each replaced in one rename. */
  async save(): Promise<void> {
    const seenChanged = this.nextSeen.files.size !== this.seen.files.size || [...this.nextSeen.files].some(([file, seen]) => this.seen.files.get(file) !== seen);
    if (seenChanged) {
      await mkdir(this.folder, { recursive: true });
      await writePack(path.join(this.folder, 'files.bin'), this.nextSeen);
    }
    // Same files with the same results: nothing to write (stale data entries are harmless).
    if (!this.changed && this.nextOutcomes.size === this.outcomes.size) return;
    await mkdir(this.folder, { recursive: true });
    await writePack(path.join(this.folder, 'outcomes.bin'), { salt: this.salt, entries: this.nextOutcomes, catalog: this.nextCatalog, recurrence: this.nextRecurrence });
    // The profiles pack is rewritten only when files were parsed: it is then read (if this run did
    // not), and holds the profiles of this run's files. A profile it lacks is made again when needed.
    if (this.newProfiles.size > 0) {
      const old = await this.readProfiles();
      const entries = new Map<string, Profile>();
      for (const [key, outcome] of this.nextOutcomes) {
        const profile = outcome.ok ? (this.newProfiles.get(key) ?? old.get(key)) : undefined;
        if (profile) entries.set(key, profile);
      }
      await writePack(path.join(this.folder, 'profiles.bin'), { salt: this.salt, entries });
      this.profiles = entries;
      this.newProfiles = new Map();
    }
    // A run that did not read the data pack leaves it as it is: its entries are still valid (or,
    // when the salt changed, dropped by the next build that reads it).
    if (this.withData) await this.saveData();
  }

  /**
   * The data pack is large (hundreds of megabytes at ten thousand postmortems): when only a few
   * files changed, their entries go to a small additions pack beside it, and the data pack is
   * rewritten only once the additions pass a tenth of it. Its entries of files since changed or
   * removed are then kept until that rewrite, never read.
   */
  private async saveData(): Promise<void> {
    const added = new Map([...this.nextStored].filter(([key]) => !this.base.keys.has(key)));
    const file = path.join(this.folder, 'data.bin');
    const additions = path.join(this.folder, 'data-added.bin');
    if (this.base.id !== undefined && added.size <= Math.max(ADDITIONS_MIN, this.nextStored.size / 10)) {
      await writeDataPack(additions, { salt: this.salt, base: this.base.id, entries: added });
    } else {
      await writeDataPack(file, { salt: this.salt, id: randomUUID(), entries: this.nextStored });
      await rm(additions, { force: true });
    }
  }
}

const sameAs = ([size, mtimeMs, ctimeMs, ino]: Seen, stats: Stats) => size === stats.size && mtimeMs === stats.mtimeMs && ctimeMs === stats.ctimeMs && ino === stats.ino;

const isFilesPack = (value: unknown): value is FilesPack => typeof (value as FilesPack | undefined)?.stamp === 'number' && (value as FilesPack).files instanceof Map;

/** A pack's value when valid; with `salt`, a pack of another salt is dropped unread (see durable.ts). */
async function readPack<T>(file: string, valid: (value: unknown) => value is T, salt?: string): Promise<T | undefined> {
  try {
    const bytes = await readSealed(file, salt);
    const value = bytes && (deserialize(bytes) as unknown);
    if (valid(value)) return value;
  } catch {
    // Written by another version of Node: start over.
  }
  return undefined;
}

/**
 * Writes a pack, sealed and replaced in one rename (see durable.ts), tagged with its salt when it
 * has one, so a reader of other code stops at the tag.
 */
const writePack = (file: string, value: FilesPack | ResultsPack<unknown>): Promise<void> => writeSealed(file, serialize(value), 'parse-cache', 'salt' in value ? value.salt : '');

/** Entries of a data pack per frame: each frame is serialized and written before the next is made. */
const ENTRIES_PER_FRAME = 256;

/**
 * Writes a data pack (or additions pack) in frames (see writeSealedFrames): first the pack
 * without its entries, then its entries a few hundred at a time, so that no buffer of the whole
 * pack (hundreds of megabytes at ten thousand postmortems) is ever made.
 */
function writeDataPack(file: string, { entries, ...pack }: ResultsPack<Stored>): Promise<void> {
  function* frames(): Generator<Uint8Array> {
    yield serialize(pack);
    let chunk: [string, Stored][] = [];
    for (const entry of entries) {
      chunk.push(entry);
      if (chunk.length === ENTRIES_PER_FRAME) {
        yield serialize(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) yield serialize(chunk);
  }
  return writeSealedFrames(file, frames(), 'data-pack', pack.salt);
}

/** A data pack of `salt`, read frame by frame (see writeDataPack); undefined when missing, of another salt or not whole. */
async function readDataPack(file: string, salt: string): Promise<ResultsPack<Stored> | undefined> {
  let pack: ResultsPack<Stored> | undefined;
  let valid = true;
  try {
    const whole = await readSealedFrames(file, salt, (frame) => {
      if (!valid) return;
      const value = deserialize(frame) as unknown;
      if (!pack) {
        const head = value as Omit<ResultsPack<Stored>, 'entries'> | undefined;
        if (head?.salt === salt) pack = { ...head, entries: new Map() };
        else valid = false;
      } else if (Array.isArray(value)) {
        for (const [key, stored] of value as [string, Stored][]) {
          // The search terms' bytes are views into this frame: copied out, so the frame can go.
          for (const p of [stored.postmortem, stored.postmortem.public]) if (p?.terms) p.terms.search = ownBytes(p.terms.search);
          pack.entries.set(key, stored);
        }
      } else valid = false;
    });
    return whole && valid ? pack : undefined;
  } catch {
    // Written by another version of Node: start over.
    return undefined;
  }
}
