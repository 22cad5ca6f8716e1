'use strict';
/**
 * What bin/task.js runs once it knows Node is new enough: the fast path for `--list`, `--help`, `--version` and
 * completion (cli/fast.cjs), else the full CLI (cli/main.ts) with Node's compile cache on, in our own cache folder.
 */
const path = require('node:path');
const { cacheRoot, ownedDir } = require('../registry/cache.cjs');
const { serveFast } = require('./fast.cjs');

/** @param {readonly string[]} argv the arguments after `--` @param {boolean} fromSource running the workspace's TypeScript */
function start(argv, fromSource) {
  const root = cacheRoot(process.env, (message) => process.stderr.write(`warning: ${message}\n`));
  const packageDir = path.resolve(__dirname, '..', '..');
  const code = serveFast(argv, { root, packageDir });
  if (code !== undefined) {
    process.exitCode = code;
    return;
  }
  // `task --list | head`: a reader that went away is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (/** @type {NodeJS.ErrnoException} */ (error).code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  // Node's own default for the compile cache is a shared folder in /tmp with a predictable name, where another user
  // could plant compiled code (it caches the type-stripped source too): ours is per user and checked.
  const compileDir = root && path.join(root, 'compile');
  if (compileDir && !process.env.NODE_COMPILE_CACHE && ownedDir(compileDir)) require('node:module').enableCompileCache(compileDir);
  import(fromSource ? './main.ts' : './main.js')
    .then((/** @type {typeof import('./main.ts')} */ cli) => cli.main(argv, { cacheRoot: root }))
    .then((exitCode) => {
      process.exitCode = exitCode;
    });
}

module.exports = { start };
