// The Node.js version check that `hindsight` runs before loading anything else. Plain
// JavaScript of any Node era, so that an old Node reaches this message instead of a syntax or
// loader error. The minimum is read from package.json's `engines.node` (`>=X.Y.Z`).
import { readFileSync } from 'node:fs';

/**
 * The minimum Node.js version, from package.json's `engines.node`.
 * @returns {number[]} major, minor, patch
 */
export function minimumNode() {
  const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines;
  const found = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(engines && engines.node ? engines.node.trim() : '');
  if (!found) throw new Error('package.json: engines.node must read >=X.Y.Z');
  return found.slice(1, 4).map(Number);
}

/**
 * One line saying what is needed, what was found and how to fix it; undefined when `version`
 * (like `20.20.2`) is recent enough.
 * @param {string} version
 * @param {number[]} [minimum]
 * @param {string} [executable]
 * @returns {string | undefined}
 */
export function nodeProblem(version, minimum = minimumNode(), executable = '') {
  const parts = version.split('.').map((part) => parseInt(part, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const [part = 0, least = 0] = [parts[i], minimum[i]];
    if (part > least) return undefined;
    if (part < least) {
      const needed = minimum.join('.');
      const where = executable ? ` (${executable})` : '';
      return `hindsight needs Node.js ${needed} or later, but this is Node.js ${version}${where}: install Node.js ${minimum[0]} or later (https://nodejs.org, or \`nvm install ${minimum[0]}\`) and run it again.`;
    }
  }
  return undefined;
}
