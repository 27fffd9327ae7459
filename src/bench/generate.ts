/**
 * A deterministic generator of realistic synthetic knowledge bases, for benchmarks: a
 * Zipf-distributed vocabulary of 30,000 made-up words, 3–6 KB per postmortem, 8–20 timeline
 * entries, 2–7 remediation items, causes that recur (drawn by Zipf too), all valid by
 * construction. The same seed and count give the same bytes.
 *
 *   node src/bench/generate.ts --count 1000 --out /tmp/kb-1k [--seed 1]
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TRIGGERS } from '../../schemas/frontmatter.ts';

/** mulberry32: a small, fast, seedable PRNG; plenty for test data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws ranks 0…n-1 with probability ∝ 1 / (rank + 1)^s. */
function zipf(n: number, s: number, rand: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += 1 / (i + 1) ** s;
  return () => {
    const x = rand() * total;
    let [low, high] = [0, n - 1];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < x) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'de', 'fa', 'gu', 'ha', 'ji', 'ke', 'ba', 'po', 'qua', 'ri', 'so', 'tu', 'ven', 'wy', 'xo', 'ze', 'ar', 'en', 'il', 'on', 'um', 'est'];
const CATEGORIES = ['change-management', 'capacity', 'software-defect', 'recovery', 'communication', 'credentials', 'dependencies', 'operations-tooling'];

export interface GenerateOptions {
  count: number;
  seed?: number;
}

export interface GeneratedFile {
  path: string;
  text: string;
}

export function* generate({ count, seed = 1 }: GenerateOptions): Generator<GeneratedFile> {
  const rand = random(seed);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const between = (low: number, high: number) => low + Math.floor(rand() * (high - low + 1));

  // Vocabulary: every word distinct, short common words first (rank 0 is the commonest).
  const vocabulary: string[] = [];
  for (let i = 0; vocabulary.length < 30_000; i++) {
    let word = '';
    for (let n = i; ; n = Math.floor(n / SYLLABLES.length) - 1) {
      word = SYLLABLES[n % SYLLABLES.length] + word;
      if (n < SYLLABLES.length) break;
    }
    vocabulary.push(word);
  }
  const nextWord = zipf(vocabulary.length, 1.07, rand);
  const word = () => vocabulary[nextWord()]!;
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  const sentence = () => {
    const text = words(between(6, 18));
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const paragraph = (sentences: number) => Array.from({ length: sentences }, sentence).join(' ');

  const causes = Array.from({ length: 60 }, (_, i) => ({ id: `cause-${i + 1}-${vocabulary[i + 100]}`, title: `${words(3)} ${i + 1}`, category: CATEGORIES[i % CATEGORIES.length]! }));
  const services = Array.from({ length: 200 }, (_, i) => ({ id: `service-${i + 1}`, name: `Service ${words(2)} ${i + 1}` }));
  const nextCause = zipf(causes.length, 1.2, rand);
  const nextService = zipf(services.length, 1.0, rand);
  const teams = Array.from({ length: 40 }, (_, i) => `team-${vocabulary[i + 500]}`);

  yield { path: 'hindsight.yml', text: 'title: Synthetic knowledge base\ntimezone: UTC\n' };
  yield { path: 'causes.yml', text: causes.map((c) => `${c.id}:\n  title: ${c.title}\n  category: ${c.category}\n  description: ${sentence()}\n`).join('') };
  yield { path: 'services.yml', text: services.map((s) => `${s.id}:\n  name: ${s.name}\n  owner: ${pick(teams)}\n`).join('') };

  const start = Date.UTC(2016, 0, 1);
  const span = Date.UTC(2026, 0, 1) - start;
  const minute = 60_000;
  const iso = (t: number) => new Date(t).toISOString();
  const stamp = (t: number) => `${iso(t).slice(0, 10)} ${iso(t).slice(11, 16)} UTC`;
  for (let n = 0; n < count; n++) {
    const begin = start + Math.floor((rand() * span) / minute) * minute;
    const date = iso(begin).slice(0, 10);
    const id = `${date}-${vocabulary[nextWord()]}-${n + 1}`;
    const chosenCauses = [...new Set(Array.from({ length: between(1, 3) }, () => causes[nextCause()]!.id))];
    const chosenServices = [...new Set(Array.from({ length: between(1, 3) }, () => services[nextService()]!.id))];

    // Timeline: 8–20 entries, the four milestones among them, a few updates, times rising.
    const entries = between(8, 20);
    const marks = new Map<number, string>([[1, 'start'], [2, 'detected'], [Math.floor(entries / 2), 'mitigated'], [entries - 1, 'resolved']]);
    for (let k = 3; k < entries - 1; k += between(3, 5)) if (!marks.has(k)) marks.set(k, 'comms');
    let at = begin - between(5, 60) * minute;
    const timeline: string[] = [];
    for (let k = 0; k < entries; k++) {
      if (k === 1) at = begin;
      else if (k > 0) at += between(1, 90) * minute;
      const marker = marks.get(k);
      timeline.push(`- ${stamp(at)} — ${marker ? `[${marker}] ` : ''}${sentence()}`);
    }
    const items = Array.from({ length: between(2, 7) }, () => {
      const due = iso(begin + between(7, 120) * 86_400_000).slice(0, 10);
      return `- [${rand() < 0.6 ? 'x' : ' '}] ${sentence()} (owner: ${pick(teams)}, due: ${due}, ticket: OPS-${between(100, 99999)})`;
    });
    const text = `---
title: ${words(between(4, 9))} outage
date: ${date}
status: published
severity: ${pick(['SEV1', 'SEV2', 'SEV2', 'SEV3', 'SEV3', 'SEV3', 'SEV4'])}
summary: ${paragraph(between(2, 3)).slice(0, 580)}
trigger: ${pick(TRIGGERS)}
causes: [${chosenCauses.join(', ')}]
blast_radius:
  scope: ${pick(['global', 'multi-region', 'region', 'region', 'zone', 'service', 'service', 'none'])}
  services: [${chosenServices.join(', ')}]
detection: ${pick(['monitoring', 'monitoring', 'customer-report', 'employee-report', 'automated-test'])}
authors: [${pick(teams)}]
---

## Timeline

${timeline.join('\n')}

## Root cause

${paragraph(between(10, 14))}

${paragraph(between(8, 12))}

## Blast radius

${paragraph(between(2, 5))}

## Remediation

${items.join('\n')}

## Lessons

${paragraph(between(3, 7))}
`;
    yield { path: `postmortems/${date.slice(0, 4)}/${id}.md`, text };
  }
}

/** Writes a generated knowledge base into `dir`, replacing what was there. */
export async function writeKnowledgeBase(dir: string, options: GenerateOptions): Promise<{ files: number; bytes: number }> {
  await rm(dir, { recursive: true, force: true });
  let [files, bytes] = [0, 0];
  for (const file of generate(options)) {
    await mkdir(path.dirname(path.join(dir, file.path)), { recursive: true });
    await writeFile(path.join(dir, file.path), file.text);
    files += 1;
    bytes += Buffer.byteLength(file.text);
  }
  return { files, bytes };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' }, out: { type: 'string' }, seed: { type: 'string', default: '1' } } });
  if (!values.out) throw new Error('Usage: node src/bench/generate.ts --count N --out DIR [--seed S]');
  const { files, bytes } = await writeKnowledgeBase(values.out, { count: Number(values.count), seed: Number(values.seed) });
  console.log(`Wrote ${files} files (${(bytes / 1e6).toFixed(1)} MB) to ${values.out}.`);
}
