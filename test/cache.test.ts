/**
 * The parse cache and the worker pool must never change a result: a warm load equals a cold
 * one, an edited file or catalogue is parsed again, and workers give what one thread gives.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKnowledgeBase } from '../src/bench/generate.ts';
import { checkKnowledgeBase, listPostmortems, loadCatalog, loadKnowledgeBase } from '../src/knowledge-base/loader.ts';
import { linkPostmortems } from '../src/analysis/linking.ts';
import { openParsePool } from '../src/knowledge-base/parse-pool.ts';
import { parseFile } from '../src/knowledge-base/parse.ts';

let dir: string;
let cacheDir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hindsight-cache-'));
  cacheDir = path.join(dir, '.cache');
  await writeKnowledgeBase(path.join(dir, 'kb'), { count: 40, seed: 5 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the parse cache', () => {
  it('gives the same knowledge base warm as cold, and as without a cache', async () => {
    const options = { cwd: dir, html: true, cacheDir };
    const uncached = await loadKnowledgeBase('kb', { cwd: dir, html: true });
    const cold = await loadKnowledgeBase('kb', options);
    const warm = await loadKnowledgeBase('kb', options);
    const { catalog: _, ...expected } = uncached;
    expect(cold).toMatchObject(expected);
    expect(warm).toMatchObject(expected);
    expect(warm.postmortems).toEqual(uncached.postmortems);
    expect(warm.postmortems[0]!.sections[0]!.html).toMatch(/^<ul>/);
  });

  it('reports an edited file as it now is, and keeps the others', async () => {
    const [first] = await listPostmortems(path.join(dir, 'kb'));
    const before = await readFile(first!, 'utf8');
    await checkKnowledgeBase('kb', { cwd: dir, cacheDir });
    await appendFile(first!, '\nStill TODO.\n');
    const after = await checkKnowledgeBase('kb', { cwd: dir, cacheDir });
    expect(after.diagnostics.map((d) => `${path.basename(d.file)} ${d.rule}`)).toEqual([`${path.basename(first!)} placeholder`]);
    await writeFile(first!, before);
    expect((await checkKnowledgeBase('kb', { cwd: dir, cacheDir })).diagnostics).toEqual([]);
  });

  it('keeps the data of a few edited files beside the data pack, and loads them from there', async () => {
    const [first] = await listPostmortems(path.join(dir, 'kb'));
    const before = await readFile(first!, 'utf8');
    const options = { cwd: dir, html: true, cacheDir };
    await loadKnowledgeBase('kb', options);
    await appendFile(first!, '\nOne more sentence of root cause.\n');
    const expected = (await loadKnowledgeBase('kb', { cwd: dir, html: true })).postmortems;
    expect((await loadKnowledgeBase('kb', options)).postmortems).toEqual(expected);
    const [folder] = await readdir(cacheDir);
    expect(await readdir(path.join(cacheDir, folder!))).toContain('data-added.bin');
    expect((await loadKnowledgeBase('kb', options)).postmortems).toEqual(expected);
    await writeFile(first!, before);
  });

  it('reads a file again when only its times were put back after an edit of the same size', async () => {
    const [first] = await listPostmortems(path.join(dir, 'kb'));
    const before = await readFile(first!, 'utf8');
    // Old enough that the cache trusts what it saw of the file, without reading it.
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(first!, old, old);
    expect((await checkKnowledgeBase('kb', { cwd: dir, cacheDir })).diagnostics).toEqual([]);
    expect((await checkKnowledgeBase('kb', { cwd: dir, cacheDir })).diagnostics).toEqual([]);
    // Same length, same modification time: only the change time (which no one can set) tells.
    const edited = before.replace(/^title: .{5}/m, 'title: TODO ');
    expect(edited.length).toBe(before.length);
    await writeFile(first!, edited);
    await utimes(first!, old, old);
    expect((await checkKnowledgeBase('kb', { cwd: dir, cacheDir })).diagnostics.map((d) => d.rule)).toEqual(['placeholder']);
    await writeFile(first!, before);
  });

  it('reports the problems of the catalogue warm as cold', async () => {
    const causes = path.join(dir, 'kb', 'causes.yml');
    const text = await readFile(causes, 'utf8');
    await writeFile(causes, `${text}\nbroken-cause: 5\n`);
    const cold = (await checkKnowledgeBase('kb', { cwd: dir, cacheDir })).diagnostics.filter((d) => d.file.endsWith('causes.yml'));
    expect(cold.length).toBeGreaterThan(0);
    expect((await checkKnowledgeBase('kb', { cwd: dir, cacheDir })).diagnostics.filter((d) => d.file.endsWith('causes.yml'))).toEqual(cold);
    await writeFile(causes, text);
  });

  it('parses again when the catalogue changes what is valid', async () => {
    const causes = path.join(dir, 'kb', 'causes.yml');
    const text = await readFile(causes, 'utf8');
    expect((await checkKnowledgeBase('kb', { cwd: dir, cacheDir })).diagnostics).toEqual([]);
    // Renaming the first cause makes every postmortem that cites it wrong.
    const first = /^([a-z0-9-]+):$/m.exec(text)![1]!;
    await writeFile(causes, text.replace(`${first}:\n`, `${first}-renamed:\n`));
    const changed = await checkKnowledgeBase('kb', { cwd: dir, cacheDir });
    expect(changed.diagnostics.filter((d) => d.rule === 'cause-unknown').length).toBeGreaterThan(0);
    await writeFile(causes, text);
  });
});

describe('terms counted at parse time', () => {
  it('link incidents as their text does', async () => {
    const kb = await loadKnowledgeBase('content', { cwd: path.resolve(import.meta.dirname, '..'), html: true });
    const stripped = kb.postmortems.map(({ terms: _, ...p }) => p);
    const similar = (links: ReturnType<typeof linkPostmortems>) => [...links.similar].map(([id, list]) => [id, list.map((s) => [s.postmortem.id, s.score])]);
    const fromTerms = similar(linkPostmortems(kb.postmortems));
    expect(fromTerms.length).toBeGreaterThan(0);
    expect(fromTerms).toEqual(similar(linkPostmortems(stripped)));
  });
});

describe('the parse pool', () => {
  it('gives what parsing on one thread gives, in the same order', async () => {
    const { catalog, texts, root, relative } = await loadCatalog('kb', { cwd: dir });
    const inputs = await Promise.all((await listPostmortems(root)).map(async (f) => ({ file: relative(f), text: await readFile(f, 'utf8') })));
    // Handed over in two parts, as the loader hands over files as it reads them.
    const pool = openParsePool({ catalog: texts, html: true, data: true, threads: 2 });
    const half = Math.ceil(inputs.length / 2);
    const pooled = (await Promise.all([pool.parse(inputs.slice(0, half)), pool.parse(inputs.slice(half))])).flat();
    await pool.close();
    expect(pooled).toEqual(inputs.map(({ file, text }) => parseFile(text, file, catalog, { html: true })));
  });

  it('sends only outcomes back when the data is not wanted', async () => {
    const { catalog, texts, root, relative } = await loadCatalog('kb', { cwd: dir });
    const files = await Promise.all((await listPostmortems(root)).map(async (f) => ({ file: relative(f), text: await readFile(f, 'utf8') })));
    const inputs = [...files, { file: 'kb/postmortems/broken.md', text: '---\ntitle: [\n---\n' }];
    const pool = openParsePool({ catalog: texts, html: false, data: false, threads: 2 });
    const pooled = await pool.parse(inputs);
    await pool.close();
    const outcomes = inputs.map(({ file, text }) => {
      const { postmortem, ...outcome } = parseFile(text, file, catalog);
      return { ...outcome, ok: postmortem !== undefined };
    });
    expect(pooled).toEqual(outcomes);
    expect(outcomes.some((o) => o.ok) && outcomes.some((o) => !o.ok)).toBe(true);
  });
});

describe('sealed cache files', () => {
  it('give their data back only whole, and only to a reader of the tag they were written with', async () => {
    const { readSealed, writeSealed } = await import('../src/knowledge-base/durable.ts');
    const file = path.join(dir, 'sealed.bin');
    const data = Buffer.alloc(1 << 20, 7);
    await writeSealed(file, data, undefined, 'salt-of-this-code');
    expect(await readSealed(file, 'salt-of-this-code')).toEqual(data);
    expect(await readSealed(file)).toEqual(data);
    expect(await readSealed(file, 'salt-of-other-code')).toBeUndefined();
    // Cut short: no data at all, never part of it.
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 1));
    expect(await readSealed(file, 'salt-of-this-code')).toBeUndefined();
  });
});
