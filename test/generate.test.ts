/** The benchmark's synthetic knowledge bases: valid by construction, realistic, deterministic. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate, writeKnowledgeBase } from '../src/bench/generate.ts';
import { loadKnowledgeBase } from '../src/knowledge-base/loader.ts';

describe('the synthetic knowledge base generator', () => {
  it('writes postmortems that validate without a single diagnostic, with recurring causes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hindsight-synthetic-'));
    try {
      await writeKnowledgeBase(dir, { count: 60, seed: 7 });
      const kb = await loadKnowledgeBase(dir, { cwd: dir });
      expect(kb.diagnostics).toEqual([]);
      expect(kb.postmortems).toHaveLength(60);
      const sizes = [...generate({ count: 60, seed: 7 })].filter((f) => f.path.endsWith('.md')).map((f) => Buffer.byteLength(f.text));
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(2800);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(7000);
      for (const p of kb.postmortems) {
        expect(p.timeline.length).toBeGreaterThanOrEqual(8);
        expect(p.timeline.length).toBeLessThanOrEqual(20);
        expect(p.remediation.length).toBeGreaterThanOrEqual(2);
        expect(p.remediation.length).toBeLessThanOrEqual(7);
      }
      const perCause = Map.groupBy(kb.postmortems.flatMap((p) => p.data.causes), (c) => c);
      expect(Math.max(...[...perCause.values()].map((list) => list.length))).toBeGreaterThan(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives the same bytes for the same seed, and others for another', () => {
    const text = (seed: number) => [...generate({ count: 5, seed })].map((f) => f.text).join('');
    expect(text(3)).toBe(text(3));
    expect(text(3)).not.toBe(text(4));
  });
});
