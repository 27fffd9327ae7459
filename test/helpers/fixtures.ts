/**
 * Rule fixtures: test/fixtures/rules/<rule>/{fail,pass}/ are content folders laid over the
 * base catalogue in test/fixtures/base (a `no-base` file in a case folder skips the base; an
 * `audience-public` file checks it for the public).
 * <rule>/expected.txt lists the diagnostics of `fail`, one per line:
 *   path:line:column severity rule message
 */
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../../src/format/diagnostics.ts';
import { loadKnowledgeBase } from '../../src/knowledge-base/loader.ts';
import { possibleRecurrences } from '../../src/analysis/recurrence-check.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const CATALOG_FILES = ['causes.yml', 'services.yml', 'hindsight.yml'];
/** Files of a case folder that say how to check it, not content. */
const MARKERS = ['no-base', 'audience-public'];

const exists = (file: string) => stat(file).then(() => true, () => false);

/** Loads a fixture case folder as a content folder; paths in diagnostics are relative to it. */
export async function loadCase(caseDir: string): Promise<Diagnostic[]> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-case-'));
  try {
    if (!(await exists(path.join(caseDir, 'no-base')))) {
      for (const file of CATALOG_FILES) {
        if (await exists(path.join(FIXTURES, 'base', file))) await cp(path.join(FIXTURES, 'base', file), path.join(tmp, file));
      }
    }
    await cp(caseDir, tmp, { recursive: true, filter: (src) => !MARKERS.includes(path.basename(src)) });
    // An `audience-public` file: checked as `validate --audience public` checks (the redaction rules).
    const audience = (await exists(path.join(caseDir, 'audience-public'))) ? 'public' : 'internal';
    // A fixed build date, so a message that names it stays the same (rule remediation-done).
    // With the check that needs similarity, as validate, build and dev run it.
    return (await loadKnowledgeBase(tmp, { cwd: tmp, today: '2025-06-01', recurrences: possibleRecurrences, audience })).diagnostics;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export const formatLine = (d: Diagnostic) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`;

export async function ruleDirs(): Promise<string[]> {
  return (await readdir(path.join(FIXTURES, 'rules'))).sort();
}
