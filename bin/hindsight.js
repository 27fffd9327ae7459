#!/usr/bin/env node
// Entry point of the `hindsight` command. First the Node.js version, before anything that an old
// Node could not load. Then the CLI: in a clone the TypeScript sources run through Node's own
// type stripping; Node refuses to strip types under node_modules, so the installed package runs
// the JavaScript that `npm pack` compiles into lib/ (see tsconfig.build.json).
import { nodeProblem } from './node-check.js';

const problem = nodeProblem(process.versions.node, undefined, process.execPath);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}
const { default: module } = await import('node:module');
const { fileURLToPath } = await import('node:url');
// Node's compile cache keeps the compiled modules between runs (in the system's temp folder).
module.enableCompileCache?.();
const installed = /[\\/]node_modules[\\/]/.test(fileURLToPath(import.meta.url));
const { main } = await import(installed ? '../lib/src/cli/main.js' : '../src/cli/main.ts');
main().catch((/** @type {any} */ error) => {
  process.stderr.write(`hindsight: internal error: ${error?.stack ?? error}\n`);
  process.exitCode = 2;
});
