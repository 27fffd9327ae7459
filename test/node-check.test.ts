/**
 * `hindsight` on a Node.js older than engines.node: one line saying what it needs, what it
 * found and how to fix it, and exit status 2, before anything else is loaded.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { minimumNode, nodeProblem } from '../bin/node-check.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** A Node.js on the PATH older than the minimum (this machine's system Node), if there is one. */
function olderNode(): string | undefined {
  const minimum = minimumNode();
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'node');
    if (!existsSync(candidate) || dir.includes('node_modules')) continue;
    const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim().slice(1);
    if (nodeProblem(version, minimum)) return candidate;
  }
  return undefined;
}

describe('the Node.js check', () => {
  it('reads its minimum from engines.node', () => {
    const engines = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node;
    expect(`>=${minimumNode().join('.')}`).toBe(engines);
  });

  it('says what is needed, what was found and how to fix it', () => {
    expect(nodeProblem('20.20.2', [22, 12, 0], '/usr/bin/node')).toMatchInlineSnapshot(`"hindsight needs Node.js 22.12.0 or later, but this is Node.js 20.20.2 (/usr/bin/node): install Node.js 22 or later (https://nodejs.org, or \`nvm install 22\`) and run it again."`);
    expect(nodeProblem('22.11.9', [22, 12, 0])).toMatch(/^hindsight needs Node\.js 22\.12\.0 or later, but this is Node\.js 22\.11\.9: /);
    for (const recent of ['22.12.0', '22.23.3', '24.0.0', '26.1.0']) expect(nodeProblem(recent, [22, 12, 0]), recent).toBeUndefined();
  });

  it.runIf(olderNode())('stops an older Node.js with that line and exit status 2', async () => {
    const node = olderNode()!;
    const failure = await promisify(execFile)(node, [path.join(ROOT, 'bin/hindsight.js'), 'validate'], { cwd: ROOT }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr.split('\n')).toEqual([expect.stringMatching(/^hindsight needs Node\.js 22\.12\.0 or later, but this is Node\.js 2[01]\.\d+\.\d+ \(.+\): install Node\.js 22 or later/), '']);
  });
});
