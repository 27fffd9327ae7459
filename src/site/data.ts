/**
 * The knowledge base as the site sees it: loaded once per build through the same loader as
 * the CLI. `hindsight build` validates first and hands its loaded knowledge base over, so no
 * file is read or parsed twice; a plain `astro build` loads HINDSIGHT_CONTENT (or content/).
 */
import path from 'node:path';
import type { KnowledgeBase } from '../knowledge-base.ts';
import { loadKnowledgeBase } from '../loader.ts';

const HANDOFF = Symbol.for('hindsight.knowledge-base');
type Handoff = { [HANDOFF]?: { dir: string; kb: KnowledgeBase } };

/** Called by `hindsight build` before it starts Astro in the same process. */
export function handOver(dir: string, kb: KnowledgeBase): void {
  (globalThis as Handoff)[HANDOFF] = { dir: path.resolve(dir), kb };
}

let loading: Promise<KnowledgeBase> | undefined;

export function knowledgeBase(): Promise<KnowledgeBase> {
  const dir = path.resolve(process.env.HINDSIGHT_CONTENT ?? 'content');
  const handed = (globalThis as Handoff)[HANDOFF];
  if (handed?.dir === dir) return Promise.resolve(handed.kb);
  loading ??= loadKnowledgeBase(dir, { cwd: process.cwd() });
  return loading;
}

/** Published postmortems only: drafts and reviews stay out of the site. */
export async function published() {
  const kb = await knowledgeBase();
  return kb.postmortems.filter((p) => p.data.status === 'published');
}
