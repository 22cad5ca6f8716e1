'use strict';
/**
 * The workspace's CLI as a few bundled files (issue 10, fast feedback): the ~120 TypeScript modules a task's run
 * loads cost ~0.5 ms each in Node's module loader (resolve, package.json lookups, type stripping, compile cache);
 * rolldown's output of the same code is ~50 files, and a CLI start costs ~30% less CPU (docker-build --dry-run in a
 * new folder: 0.25 -> 0.16 s). Used only when it is fresh: it lists every file it was made from (and their folders,
 * so that a new file counts) with size and mtime, and one that differs means the sources run as they are. A stale
 * bundle is never run, and a run never builds one: `./task test` does, as its first step, through the runner
 * (`node packages/tasks/src/cli/bundle-build.cjs`), so an edit between runs only costs the speed until the next.
 *
 * One instance of each module: the files reached from outside the library (a package's exports, which a repo's
 * tasks/*.ts and tasks.config.ts import, and the built-ins, which the registry imports by path) are the bundle's
 * entries, and the resolve hook below sends their URLs to the entry files. `import.meta.url` keeps the source's
 * URL (the builder writes it in), so paths computed from it stay the same. An installed copy runs its dist/ as is.
 */
const fs = require('node:fs');
const path = require('node:path');

const FORMAT = 'promtior-tasks cli bundle 1';

/** Where the bundles live: inside the package, so `zod` resolves as from the sources and stack frames stay "ours". */
function bundleRoot(/** @type {string} */ packageDir) {
  return path.join(packageDir, 'node_modules', '.cache', 'promtior-tasks-cli');
}

/** @typedef {{ format: string; node: string; dir: string; entries: Record<string, string>; stamps: [string, number, number][] }} Current */

/** The fresh bundle's record, or undefined. @param {string} root @returns {Current | undefined} */
function freshBundle(root) {
  /** @type {Current} */
  let current;
  try {
    current = JSON.parse(fs.readFileSync(path.join(root, 'current.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (current.format !== FORMAT || current.node !== process.version || !Array.isArray(current.stamps)) return undefined;
  // Only files the builder names so, inside the bundle folder: a record naming a path elsewhere is not ours.
  if (typeof current.dir !== 'string' || !/^b-\d+-\d+$/.test(current.dir)) return undefined;
  if (typeof current.entries !== 'object' || current.entries === null) return undefined;
  if (!Object.values(current.entries).every((e) => typeof e === 'string' && /^e\d+\.mjs$/.test(e))) return undefined;
  for (const [file, size, mtimeMs] of current.stamps) {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    // A folder's size is not its content: its mtime changes when a file is added, removed or renamed.
    if (!st || st.mtimeMs !== mtimeMs || (st.isFile() && st.size !== size)) return undefined;
  }
  return current;
}

/**
 * The bundle's main module URL when a fresh bundle exists (its entries then answer for the sources they were made
 * from); else undefined, and the sources run. @param {string} packageDir @param {NodeJS.ProcessEnv} env @returns {string | undefined}
 */
function useBundle(packageDir, env) {
  if (env.PROMTIOR_TASKS_NO_BUNDLE) return undefined;
  const root = bundleRoot(packageDir);
  const { pathToFileURL } = require('node:url');
  /** @type {Map<string, string>} source URL -> entry URL */
  const map = new Map();
  try {
    const current = freshBundle(root);
    if (!current) return undefined;
    const dir = path.join(root, current.dir);
    for (const [source, entry] of Object.entries(current.entries)) map.set(pathToFileURL(source).href, pathToFileURL(path.join(dir, entry)).href);
  } catch {
    // A record not of the shape the builder writes (cut short, edited): the sources run, as for a stale one.
    return undefined;
  }
  const main = map.get(pathToFileURL(path.join(packageDir, 'src', 'cli', 'main.ts')).href);
  if (!main) return undefined;
  require('node:module').registerHooks({
    resolve(specifier, context, next) {
      const resolved = next(specifier, context);
      const entry = map.get(resolved.url);
      return entry ? { ...resolved, url: entry, format: 'module' } : resolved;
    },
  });
  return main;
}

module.exports = { FORMAT, bundleRoot, freshBundle, useBundle };
