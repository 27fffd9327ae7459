/**
 * The sources' layers (src/tools/layers.ts): every import goes to the same layer or one below,
 * and no module imports itself through others. Fixture folders show that each check fails.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph, LAYERS, layerOf, upwardImports } from '../src/tools/layers.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const fixture = (name: string) => importGraph(path.join(ROOT, 'test/fixtures/layers', name), ['src']);

describe('the package', () => {
  const graph = importGraph(ROOT);

  it('puts every source file in a layer', () => {
    expect(graph.size).toBeGreaterThan(80);
    expect([...graph.keys()].filter((file) => !layerOf(file))).toEqual([]);
  });

  it('imports only from its own layer and those below', () => {
    expect(upwardImports(graph).map((c) => c.message)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(importCircles(graph).map((circle) => circle.join(' → '))).toEqual([]);
  });

  it('keeps the parser pure: the format imports only schemas and libraries', () => {
    const format = [...graph].filter(([file]) => layerOf(file) === 'format');
    expect(format.length).toBeGreaterThan(10);
    expect(format.flatMap(([file, targets]) => targets.filter((t) => !['format', 'schemas'].includes(layerOf(t) ?? '')).map((t) => `${file} → ${t}`))).toEqual([]);
  });
});

describe('the checks', () => {
  it('report an import from a lower layer into a higher one', () => {
    expect(upwardImports(fixture('upward')).map((c) => c.message)).toMatchInlineSnapshot(`
      [
        "src/format/parse.ts (format) imports src/site/page.ts (site)",
      ]
    `);
  });

  it('report an import between side-by-side layers', () => {
    expect(upwardImports(fixture('sibling')).map((c) => c.message)).toMatchInlineSnapshot(`
      [
        "src/search/query.ts (search) imports src/analysis/trend.ts (analysis)",
      ]
    `);
  });

  it('report a circle, type-only imports included', () => {
    expect(importCircles(fixture('circle'))).toMatchInlineSnapshot(`
      [
        [
          "src/site/data.ts",
          "src/site/plan.ts",
          "src/site/data.ts",
        ],
      ]
    `);
    expect(importCircles(fixture('upward'))).toEqual([]);
  });

  it('name the layers from the bottom up', () => {
    expect(LAYERS.map((layer) => layer.name)).toEqual(['schemas', 'format', 'terms', 'knowledge-base', 'search', 'analysis', 'site', 'cli', 'api', 'tools']);
  });
});
