/**
 * The layers of Hindsight's sources and the rule between them: a module imports only from its
 * own layer and the layers below it, and no import circle exists anywhere. The test
 * (test/layers.test.ts) reads the import graph of the package and fails on an upward import or
 * a circle. Type-only imports count too: a type from above is a dependency on above.
 *
 * Imports are read with regular expressions over the text (static `import … from`, `export …
 * from`, side-effect `import '…'`, `import('…')` and `new URL('…', import.meta.url)` for
 * workers, also when named with the host's extension): enough for sources written here, and no TypeScript parser to keep in step.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** From the bottom up. A module may import from its own layer and every layer listed before it. */
export const LAYERS = [
  { name: 'schemas', holds: 'the format\'s zod schemas', match: /^schemas\// },
  { name: 'format', holds: 'one postmortem file in, its data and diagnostics out', match: /^src\/format\// },
  { name: 'terms', holds: 'terms counted as lunr counts them, for search and similarity; the knowledge base counts them where it parses', match: /^src\/search\/terms\.ts$/ },
  { name: 'knowledge-base', holds: 'a content folder in: loading, the parse cache and workers, the rules across files', match: /^src\/knowledge-base\// },
  { name: 'search', holds: 'the sharded lunr index: its files, querying it, the browser client', match: /^src\/search\// },
  { name: 'analysis', holds: 'links and recurrences, trends, remediation over time, exports', match: /^src\/analysis\// },
  { name: 'site', holds: 'the Astro site: its data, incremental plans, pages, components, layouts, styles', match: /^(src\/(site|pages|components|layouts|styles)\/|astro\.config\.mjs$)/ },
  { name: 'cli', holds: 'the commands and their output', match: /^(src\/cli\/|bin\/)/ },
  { name: 'api', holds: 'the programmatic API: what `import … from \'hindsight\'` gives', match: /^src\/index\.ts$/ },
  { name: 'tools', holds: 'generators, the benchmark and test tools: they may use anything', match: /^src\/(tools|bench)\// },
] as const;
export type LayerName = (typeof LAYERS)[number]['name'];

/** Layers side by side: neither imports the other. */
const SIBLINGS: [LayerName, LayerName][] = [['search', 'analysis']];

export function layerOf(file: string): LayerName | undefined {
  return LAYERS.find((layer) => layer.match.test(file))?.name;
}

/** Whether a module of layer `from` may import one of layer `to`. */
export function mayImport(from: LayerName, to: LayerName): boolean {
  const rank = (name: LayerName) => LAYERS.findIndex((layer) => layer.name === name);
  if (SIBLINGS.some(([a, b]) => (a === from && b === to) || (a === to && b === from))) return false;
  return rank(to) <= rank(from);
}

const SOURCE = /\.(ts|mts|mjs|js|astro)$/;
const SPECIFIERS = [
  /\bfrom\s*['"]([^'"\n]+)['"]/g,
  /\bimport\s*['"]([^'"\n]+)['"]/g,
  /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g,
  /\bnew URL\(\s*['"]([^'"\n]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
  // A worker beside its host, named with the host's own extension (.ts here, .js installed).
  /\bnew URL\(\s*`([^`$\n]+)\$\{path\.extname\(import\.meta\.url\)\}`/g,
];

/** Every source file under `root`'s `dirs` (paths relative to root, with `/`), and the relative imports of each. */
export function importGraph(root: string, dirs: readonly string[] = ['schemas', 'src', 'bin', 'astro.config.mjs']): Map<string, string[]> {
  const files: string[] = [];
  for (const dir of dirs) {
    const full = path.join(root, dir);
    if (SOURCE.test(dir)) {
      files.push(dir);
      continue;
    }
    let entries: string[];
    try {
      entries = readdirSync(full, { recursive: true }) as string[];
    } catch {
      continue;
    }
    for (const entry of entries) if (SOURCE.test(entry) && !entry.split(path.sep).includes('node_modules')) files.push(path.posix.join(dir, entry.split(path.sep).join('/')));
  }
  const graph = new Map<string, string[]>();
  for (const file of files.sort()) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const targets = new Set<string>();
    for (const pattern of SPECIFIERS) {
      for (const [, spec] of text.matchAll(pattern)) {
        const named = pattern === SPECIFIERS.at(-1) ? `${spec}${path.extname(file)}` : spec!;
        if (named.startsWith('.')) targets.add(path.posix.normalize(path.posix.join(path.posix.dirname(file), named)));
      }
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

export interface Crossing {
  from: string;
  to: string;
  message: string;
}

/** Imports that go up a layer, or into a sibling layer. */
export function upwardImports(graph: ReadonlyMap<string, readonly string[]>): Crossing[] {
  const found: Crossing[] = [];
  for (const [from, targets] of graph) {
    const own = layerOf(from);
    if (!own) continue;
    for (const to of targets) {
      const theirs = layerOf(to);
      if (theirs && !mayImport(own, theirs)) found.push({ from, to, message: `${from} (${own}) imports ${to} (${theirs})` });
    }
  }
  return found;
}

/** Import circles, each as the files along it, the first repeated at the end (Tarjan's strongly connected components). */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let next = 0;
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const to of graph.get(file) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      const selfImport = (graph.get(file) ?? []).includes(file);
      if (component.length > 1 || selfImport) circles.push(circleThrough(graph, new Set(component), file));
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return circles;
}

/** One circle through `start` inside a strongly connected component, found breadth first. */
function circleThrough(graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>, start: string): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const file = queue.shift()!;
    for (const to of graph.get(file) ?? []) {
      if (!component.has(to)) continue;
      if (to === start) {
        const circle = [start];
        for (let at = file; at !== start; at = cameFrom.get(at)!) circle.splice(1, 0, at);
        return [...circle, start];
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, file);
        queue.push(to);
      }
    }
  }
  return [start, start];
}
