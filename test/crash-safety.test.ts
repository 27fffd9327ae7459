/**
 * Builds that are killed: the real CLI in a child process, killed with SIGKILL at the fault
 * points of the build (HINDSIGHT_FAULT, see src/knowledge-base/fault.ts) and at random moments,
 * during an incremental build of content v2 over the site of content v1. After every kill the
 * output folder is, byte for byte, the whole v1 site or the whole v2 site (or, killed between
 * the two renames of the swap, missing, with the v1 site beside it); and the next build,
 * uncontrolled, gives exactly the site a clean build of v2 gives. Caches a kill or a bad disk
 * garbled are read as missing, never as something else.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKnowledgeBase } from '../src/bench/generate.ts';
import { sideFolderOf } from '../src/cli/side-folder.ts';
import { spareFolderOf } from '../src/cli/spare-site.ts';
import { readSealed, readSealedFrames, writeSealed, writeSealedFrames } from '../src/knowledge-base/durable.ts';
import type { FaultPoint } from '../src/knowledge-base/fault.ts';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { BUILD_DATE, buildSite } from './setup/sites.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

let tmp: string;
/** The content folder: v1 for the first build, then v2 for all others. */
let content: string;
/** The output folder and the cache of the builds under test, and their state after the v1 build. */
let out: string;
let cache: string;
let snapshot: string;
/** Digests of the clean builds of v1 and v2. */
let v1: Site;
let v2: Site;
/** How long the uninterrupted incremental build of v2 took, in ms. */
let duration = 0;

/** A site as a digest of every file's path and content, and the files for messages. */
interface Site {
  digest: string;
  files: Map<string, string>;
}

async function siteOf(dir: string): Promise<Site | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return undefined;
  }
  const files = new Map<string, string>();
  for (const entry of entries.filter((e) => !e.isDirectory()).map((e) => path.join(e.parentPath, e.name)).sort()) {
    files.set(path.relative(dir, entry), createHash('sha1').update(await readFile(entry)).digest('hex'));
  }
  const digest = createHash('sha1').update(JSON.stringify([...files])).digest('hex');
  return { digest, files };
}

/** Which of v1 and v2 the site is, or what differs from the nearer one. */
function whichOf(site: Site | undefined): string {
  if (!site) return 'missing';
  if (site.digest === v1.digest) return 'v1';
  if (site.digest === v2.digest) return 'v2';
  const differences = (expected: Site) => [...new Set([...site.files.keys(), ...expected.files.keys()])].filter((file) => site.files.get(file) !== expected.files.get(file));
  const [a, b] = [differences(v1), differences(v2)];
  return `neither: ${a.length} files differ from v1 (${a.slice(0, 5).join(', ')}), ${b.length} from v2 (${b.slice(0, 5).join(', ')})`;
}

const env = () => ({ HINDSIGHT_CACHE_DIR: cache });

/** Runs `hindsight build` of `content` into `out` and kills it at a fault point or after `after` ms. */
function killedBuild(kill: { fault: FaultPoint } | { after: number }): Promise<{ pid: number; signal: NodeJS.Signals | null; stdout: string }> {
  const args = [path.join(ROOT, 'bin/hindsight.js'), 'build', '--content', content, '--out', out, '--today', BUILD_DATE];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env(), ...('fault' in kill ? { HINDSIGHT_FAULT: kill.fault } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const timer = 'after' in kill ? setTimeout(() => child.kill('SIGKILL'), kill.after) : undefined;
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (_, signal) => {
      clearTimeout(timer);
      resolve({ pid: child.pid!, signal, stdout });
    });
  });
}

/** The folders in the side folder of the output: what builds leave there. */
const besideOut = async () => (await readdir(sideFolderOf(out)).catch(() => [])).filter((name) => name !== '.gitignore');

/** Back to the state after the v1 build: its site and its cache, nothing beside them. */
async function restoreV1(): Promise<void> {
  await rm(sideFolderOf(out), { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
  await rm(cache, { recursive: true, force: true });
  await cp(path.join(snapshot, 'out'), out, { recursive: true });
  await cp(path.join(snapshot, 'cache'), cache, { recursive: true });
  // The spare site the second v1 build kept (see src/cli/spare-site.ts), copied: none of its files is the output's own.
  await cp(path.join(snapshot, 'side'), sideFolderOf(out), { recursive: true });
}

/**
 * After a kill: the output is v1 or v2 (`expected` when the point decides it), or missing with
 * the v1 site beside it; then the next build gives v2 and clears what the killed one left.
 */
async function checkKilled(killed: { pid: number }, expected?: 'v1' | 'v2' | 'missing'): Promise<string> {
  const state = whichOf(await siteOf(out));
  if (expected) expect(state).toBe(expected);
  else expect(['v1', 'v2', 'missing']).toContain(state);
  if (state === 'missing') {
    const [aside, ...others] = (await besideOut()).filter((name) => name.startsWith(`previous-${killed.pid}-`));
    expect(others).toEqual([]);
    expect(whichOf(await siteOf(path.join(sideFolderOf(out), aside!)))).toBe('v1');
  }
  await buildSite(content, out, { env: env() });
  expect(whichOf(await siteOf(out))).toBe('v2');
  // The killed build's folders are gone (the last build's old site may be going still).
  expect((await besideOut()).filter((name) => new RegExp(`-${killed.pid}(-|$)`).test(name))).toEqual([]);
  return state;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-crash-'));
  content = path.join(tmp, 'content');
  out = path.join(tmp, 'out');
  cache = path.join(tmp, 'cache');
  snapshot = path.join(tmp, 'snapshot');
  await writeKnowledgeBase(content, { count: 40, seed: 3 });
  // v1: a clean build, then one with nothing changed, which keeps the first site as its spare;
  // the state every killed build starts from.
  await buildSite(content, out, { env: env() });
  await buildSite(content, out, { env: env() });
  v1 = (await siteOf(out))!;
  expect(whichOf(await siteOf(spareFolderOf(out)))).toBe('v1');
  await cp(out, path.join(snapshot, 'out'), { recursive: true });
  await cp(cache, path.join(snapshot, 'cache'), { recursive: true });
  await cp(sideFolderOf(out), path.join(snapshot, 'side'), { recursive: true });
  // v2: a body edited, a title changed, one postmortem deleted and one added.
  const files = (await readdir(path.join(content, 'postmortems'), { recursive: true })).filter((f) => f.endsWith('.md')).sort();
  const file = (n: number) => path.join(content, 'postmortems', files[n]!);
  await appendFile(file(3), '\nOne more sentence of the lessons.\n');
  await writeFile(file(7), (await readFile(file(7), 'utf8')).replace(/^title: (.*)$/m, 'title: $1 (renamed)'));
  await rm(file(11));
  await writeFile(file(15).replace(/\.md$/, '-again.md'), await readFile(file(15), 'utf8'));
  await buildSite(content, path.join(tmp, 'clean'), { env: { HINDSIGHT_CACHE_DIR: path.join(tmp, 'clean-cache') } });
  v2 = (await siteOf(path.join(tmp, 'clean')))!;
  expect(v2.digest).not.toBe(v1.digest);
}, 60_000);

afterAll(async () => {
  if (!tmp) return;
  await rm(tmp, { recursive: true, force: true });
  // The Astro scratch folders of these outputs (see src/site/astro-project.ts).
  for (const dir of [out, path.join(tmp, 'clean')]) {
    await rm(path.join(ROOT, 'node_modules/.cache/hindsight/site', createHash('sha1').update(dir).digest('hex').slice(0, 16)), { recursive: true, force: true });
  }
});

describe('an incremental build', () => {
  it('uninterrupted, gives what a clean build gives', async () => {
    await restoreV1();
    const started = performance.now();
    expect(await buildSite(content, out, { env: env() })).toMatch(/unchanged from the last build/);
    duration = performance.now() - started;
    expect(whichOf(await siteOf(out))).toBe('v2');
    // The site it replaced is the next build's spare.
    expect(whichOf(await siteOf(spareFolderOf(out)))).toBe('v1');
  }, 30_000);

  // Where each point leaves the output.
  const points: [FaultPoint, 'v1' | 'v2' | 'missing'][] = [
    ['parse-cache', 'v1'],
    ['data-pack', 'v1'],
    ['link', 'v1'],
    ['spare', 'v1'],
    ['output', 'v1'],
    ['swap', 'missing'],
    ['record', 'v2'],
    ['cleanup', 'v2'],
  ];
  it.each(points)('killed at %s leaves %s, and the next build is right', async (point, expected) => {
    await restoreV1();
    // Without a spare, the new site is made from links (see src/cli/spare-site.ts).
    if (point === 'link') await rm(spareFolderOf(out), { recursive: true });
    const killed = await killedBuild({ fault: point });
    expect(killed.signal).toBe('SIGKILL');
    await checkKilled(killed, expected);
    if (point === 'parse-cache' || point === 'data-pack' || point === 'record') {
      // The file half written beside the cache is gone with the next write of the same file.
      expect((await readdir(cache, { recursive: true })).filter((name) => name.includes('.partial-'))).toEqual([]);
    }
  }, 30_000);

  it('takes back the site a build of the previous layout left beside the output when killed between its renames', async () => {
    await restoreV1();
    // A process id no process has: its build is over.
    await rename(out, `${out}.previous-99999999-0a1b`);
    await mkdir(`${out}.partial-99999999`);
    await buildSite(content, out, { env: env() });
    expect(whichOf(await siteOf(out))).toBe('v2');
    expect((await readdir(tmp)).filter((name) => name.startsWith(`${path.basename(out)}.`))).toEqual([]);
  }, 30_000);

  it('is refused while another build is building into the same output, and that build is left alone', async () => {
    await restoreV1();
    // A running process stands for the other build, with the folder a build makes for its new site.
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    const theirs = `partial-${other.pid}`;
    try {
      await mkdir(path.join(sideFolderOf(out), theirs, 'incidents'), { recursive: true });
      const refused = await buildSite(content, out, { env: env() }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(refused?.code).toBe(2);
      expect(refused?.stderr).toBe(`hindsight: Another build (process ${other.pid}) is building into ${out}: wait for it to end, or give this one another --out.\n`);
      expect(whichOf(await siteOf(out))).toBe('v1');
      // Its folder is as it was, and this build's own is gone.
      expect((await besideOut()).filter((name) => name.startsWith('partial-'))).toEqual([theirs]);
      expect(await readdir(path.join(sideFolderOf(out), theirs))).toEqual(['incidents']);
    } finally {
      other.kill();
    }
    // Once it is over, what it left is cleared like any killed build's.
    await once(other, 'exit');
    await buildSite(content, out, { env: env() });
    expect(whichOf(await siteOf(out))).toBe('v2');
    expect((await besideOut()).filter((name) => name.startsWith('partial-'))).toEqual([]);
  }, 30_000);

  it('killed at random moments leaves v1 or v2, and the next build is right', async () => {
    expect(duration).toBeGreaterThan(0);
    // mulberry32, seeded: delays spread over the build, one in each sixth of its duration.
    let seed = 20261122;
    const random = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const RUNS = 6;
    const states: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      await restoreV1();
      const after = Math.round((duration * (run + random())) / RUNS);
      const killed = await killedBuild({ after });
      states.push(`${after} ms: ${killed.signal ?? 'finished'}, ${await checkKilled(killed)}`);
    }
    // Killed before the swap, the previous site (the first sixth is always before it).
    expect(states[0], states.join('; ')).toMatch(/SIGKILL, v1$/);
  }, 150_000);
});

describe('caches garbled on disk', () => {
  it('read as missing: a sealed file cut short or with a byte changed', async () => {
    const file = path.join(tmp, 'sealed', 'x.bin');
    const data = Buffer.from('the data of a pack, '.repeat(100));
    await writeSealed(file, data);
    expect(await readSealed(file)).toEqual(data);
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 7));
    expect(await readSealed(file)).toBeUndefined();
    bytes.writeUInt8(bytes[bytes.length >> 1]! ^ 1, bytes.length >> 1);
    await writeFile(file, bytes);
    expect(await readSealed(file)).toBeUndefined();
    await writeFile(file, 'not sealed');
    expect(await readSealed(file)).toBeUndefined();
    expect(await readSealed(path.join(tmp, 'sealed', 'missing.bin'))).toBeUndefined();
  });

  it('read as missing: a file of frames cut short or with a byte changed, and never half handed over', async () => {
    const file = path.join(tmp, 'sealed', 'frames.bin');
    const frames = Array.from({ length: 5 }, (_, n) => Buffer.from(`frame ${n}, `.repeat(50 * (n + 1))));
    const read = async () => {
      const got: Buffer[] = [];
      return (await readSealedFrames(file, 'salt', (frame) => got.push(frame))) ? got : undefined;
    };
    await writeSealedFrames(file, frames, undefined, 'salt');
    expect(await read()).toEqual(frames);
    expect(await readSealedFrames(file, 'other salt', () => expect.unreachable())).toBe(false);
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 7));
    expect(await read()).toBeUndefined();
    bytes.writeUInt8(bytes[bytes.length >> 1]! ^ 1, bytes.length >> 1);
    await writeFile(file, bytes);
    expect(await read()).toBeUndefined();
    // A sealed file of one piece is not a file of frames, nor the other way round.
    await writeSealed(file, bytes, undefined, 'salt');
    expect(await read()).toBeUndefined();
    await writeSealedFrames(file, frames, undefined, 'salt');
    expect(await readSealed(file, 'salt')).toBeUndefined();
  });

  it('give the same knowledge base as no cache', async () => {
    const cacheDir = path.join(tmp, 'kb-cache');
    const options = { cwd: tmp, html: true, cacheDir };
    const { catalog: _, ...expected } = await loadKnowledgeBase(content, { cwd: tmp, html: true });
    await loadKnowledgeBase(content, options);
    const packs = (await readdir(cacheDir, { recursive: true })).filter((name) => name.endsWith('.bin'));
    expect(packs.length).toBeGreaterThanOrEqual(4);
    for (const [n, pack] of packs.entries()) {
      const file = path.join(cacheDir, pack);
      if (n % 2) await truncate(file, Math.floor((await readFile(file)).length / 2));
      else {
        const bytes = await readFile(file);
        bytes.writeUInt8(bytes[bytes.length - 3]! ^ 0x20, bytes.length - 3);
        await writeFile(file, bytes);
      }
    }
    expect(await loadKnowledgeBase(content, options)).toMatchObject(expected);
  });

  it('and a build record garbled, with the packs, make a full build, not a wrong one', async () => {
    await restoreV1();
    // Read as it is, a garbled record would fail the build (JSON.parse) or plan it wrong.
    const [record] = await readdir(path.join(cache, 'builds'));
    const bytes = await readFile(path.join(cache, 'builds', record!));
    bytes.writeUInt8(bytes[bytes.length >> 1]! ^ 0x20, bytes.length >> 1);
    await writeFile(path.join(cache, 'builds', record!), bytes);
    for (const pack of (await readdir(cache, { recursive: true })).filter((name) => name.endsWith('.bin'))) await truncate(path.join(cache, pack), 100);
    expect(await buildSite(content, out, { env: env() })).not.toMatch(/unchanged/);
    expect(whichOf(await siteOf(out))).toBe('v2');
  }, 30_000);
});
