/**
 * What `hindsight dev` shows beyond a build: drafts and postmortems in review (marked as such),
 * every problem of the knowledge base, and, for a file that has errors now, its last version
 * without errors, so its page stays while the author fixes it. Builds never show any of this.
 */
import type { Diagnostic } from '../format/diagnostics.ts';
import { newestFirst, type KnowledgeBase, type Postmortem } from '../knowledge-base/index.ts';

export interface Preview {
  /** Every problem of the knowledge base, as `hindsight validate` lists them. */
  diagnostics: Diagnostic[];
  /** Files shown from their last version without errors, by file. */
  stale: ReadonlySet<string>;
}

/**
 * The knowledge base the dev server shows: `kb`, plus the last good version (from `lastGood`,
 * by file) of every file that is still there but has errors now. `lastGood` is brought up to
 * date with `kb`'s postmortems.
 */
export function previewOf(kb: KnowledgeBase, lastGood: Map<string, Postmortem>): { kb: KnowledgeBase; preview: Preview } {
  for (const p of kb.postmortems) lastGood.set(p.file, p);
  const shown = new Set(kb.postmortems.map((p) => p.file));
  // A file that is there but not shown has an error at it; a file gone has no diagnostic at all.
  const failing = new Set(kb.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const ids = new Set(kb.postmortems.map((p) => p.id));
  const stale = new Set<string>();
  const postmortems = [...kb.postmortems];
  for (const [file, p] of lastGood) {
    if (shown.has(file)) continue;
    if (!failing.has(file)) lastGood.delete(file);
    else if (!ids.has(p.id)) {
      postmortems.push(p);
      stale.add(file);
    }
  }
  postmortems.sort(newestFirst);
  return { kb: { ...kb, postmortems }, preview: { diagnostics: kb.diagnostics, stale } };
}

const RELOAD = Symbol.for('hindsight.preview-reload');
type Reloads = { [RELOAD]?: () => void };

/** Called by the dev server's integration with what makes every open page reload. */
export function whenReloaded(reload: () => void): void {
  (globalThis as Reloads)[RELOAD] = reload;
}

/** Makes every open page of the dev server reload (after a new knowledge base was handed over). */
export function reloadPages(): void {
  (globalThis as Reloads)[RELOAD]?.();
}
