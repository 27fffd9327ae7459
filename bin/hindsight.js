#!/usr/bin/env node
// Entry point of the `hindsight` command. The sources are TypeScript, run by Node's own type
// stripping (Node >= 22.18; the package's `node@22` devDependency provides it under npm).
// Node's compile cache keeps the compiled modules between runs (in the system's temp folder).
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../src/cli/main.ts');
main().catch((error) => {
  process.stderr.write(`hindsight: internal error: ${error?.stack ?? error}\n`);
  process.exitCode = 2;
});
