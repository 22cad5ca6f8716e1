#!/usr/bin/env node
// Plain JavaScript on purpose: Node compiles TypeScript's type stripper on every start unless the compile cache
// is on, and it can only be turned on before the first .ts module loads. With it, `task --list` starts about as
// fast as a bare `node -e 0` (see `pnpm bench`).
import module from 'node:module';

module.enableCompileCache?.();
// `task --list | head`: a reader that went away is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// In the workspace the TypeScript sources run directly; an installed copy ships only the built dist/.
import { existsSync } from 'node:fs';

const fromSource = existsSync(new URL('../src/cli/main.ts', import.meta.url));
const { main } = await import(fromSource ? '../src/cli/main.ts' : '../dist/cli/main.js');
// Callers put `--` right after this script so that Node does not take our --env-file for its own option
// (Node reads --env-file anywhere in its argv before a `--`, and would load the file into process.env).
const argv = process.argv.slice(2);
process.exitCode = await main(argv[0] === '--' ? argv.slice(1) : argv);
