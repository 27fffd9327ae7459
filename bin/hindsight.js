#!/usr/bin/env node
// Entry point of the `hindsight` command. The sources are TypeScript, run by Node's own type
// stripping (Node >= 22.18; the package's `node@22` devDependency provides it under npm).
import { main } from '../src/cli/main.ts';

main().catch((error) => {
  process.stderr.write(`hindsight: internal error: ${error?.stack ?? error}\n`);
  process.exitCode = 2;
});
