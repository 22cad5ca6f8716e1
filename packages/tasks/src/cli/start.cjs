'use strict';
/**
 * What bin/task.js runs once it knows Node is new enough. `--list`, `--help`, `--version` and `__complete` are
 * answered from the task manifest the full CLI wrote (cli/project.ts) while every file it was made from is
 * unchanged: no TypeScript, zod or task module loads, so they cost little more than Node's own start. Anything
 * else, or a stale manifest, goes to the full CLI (cli/main.ts, which rewrites the manifest), with Node's compile
 * cache on in our own cache folder. Plain CommonJS, and few modules: Node's ES module loader alone costs ~4 ms.
 */
const fs = require('node:fs');
const path = require('node:path');
const { cacheRoot, ownedDir, projectKey, readManifest, writeOwned } = require('../registry/cache.cjs');

/** @param {readonly string[]} argv the arguments after `--` @param {boolean} fromSource running the workspace's TypeScript */
function start(argv, fromSource) {
  const root = cacheRoot(process.env, (message) => process.stderr.write(`warning: ${message}\n`));
  const packageDir = path.resolve(__dirname, '..', '..');
  const code = serveFast(argv, { root, packageDir });
  if (code !== undefined) {
    process.exitCode = code;
    return;
  }
  let finished = false;
  guardExit(argv, () => finished);
  // `task --list | head`, or a terminal closed mid-run: a reader that went away is not an error of ours. What we
  // print is lost from then on; a run in progress stops as on a hang-up, with its teardown (a stack is not left
  // half up because the window was closed); with no run, we are done.
  let gone = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (gone) return;
      const code = /** @type {NodeJS.ErrnoException} */ (error).code;
      if (code !== 'EPIPE' && code !== 'EIO') throw error;
      gone = true;
      if (process.listenerCount('SIGHUP') > 0) process.emit(/** @type {any} */ ('SIGHUP'));
      else {
        finished = true;
        process.exit(process.exitCode ?? 0);
      }
    });
  }
  // Node's own default for the compile cache is a shared folder in /tmp with a predictable name, where another user
  // could plant compiled code (it caches the type-stripped source too): ours is per user and checked.
  const compileDir = root && path.join(root, 'compile');
  if (compileDir && !process.env.NODE_COMPILE_CACHE && ownedDir(compileDir)) require('node:module').enableCompileCache(compileDir);
  oneFileZod(path.join(packageDir, 'vendor', 'zod.mjs'));
  // The daemon questions this command asked last time here go out now, answered while the modules load
  // (facts/daemon-get.cjs); what it asks this time is remembered for the next.
  const prefetch = root ? require('./prefetch.cjs') : undefined;
  const asked = prefetch?.load(/** @type {string} */ (root), process.cwd(), argv);
  // The questions are written before the modules load: loading an ES module graph does not return to the event loop,
  // so a socket that has not connected yet would send its question only after ~150 ms of loading (measured: the
  // daemon's answers then came no sooner than the facts' own questions would have).
  const sent = asked && asked.asks.length > 0 ? require('../facts/daemon-get.cjs').prefetch(asked.asks) : Promise.resolve();
  // In the workspace, the CLI's modules come from a fresh bundle of them when there is one (cli/bundle.cjs).
  const bundled = fromSource ? require('./bundle.cjs').useBundle(packageDir, process.env) : undefined;
  sent
    .then(() => import(bundled ?? (fromSource ? './main.ts' : './main.js')))
    .then((/** @type {typeof import('./main.ts')} */ cli) => cli.main(argv, { cacheRoot: root }))
    .then((exitCode) => {
      finished = true;
      process.exitCode = exitCode;
      if (prefetch && asked) prefetch.save(asked, require('../facts/daemon-get.cjs').askedWhilePlanning());
    });
}

/**
 * A run that ends before cli/main.ts returned did not do what was asked: a repo's module awaited something that never
 * settles (Node, with nothing left to do, would exit 0 in silence: a green CI step that checked nothing) or called
 * process.exit(). Say so, naming the file that was loading (registry/user-module.ts), and exit 1 (issue 9).
 * @param {readonly string[]} argv @param {() => boolean} finished
 */
function guardExit(argv, finished) {
  process.on('exit', (code) => {
    if (finished()) return;
    const loading = /** @type {Record<symbol, string | undefined>} */ (globalThis)[Symbol.for('promtior-tasks.loading')];
    // A crash (uncaught exception) already said what happened, with a non-zero code: no second story.
    if (code && !loading) return;
    const message = loading
      ? `${loading} never finished loading: the run ended while importing it, so nothing was done. A top-level \`await\` that never settles (or a process.exit() call) in that file does this; a task file or tasks.config.ts should only define tasks and settings: remove it, or move the work into a task's steps.`
      : `the run ended before the task finished (something awaited a promise that never settles, or called process.exit(0)), so it did not complete. Check the tasks/*.ts code the task runs for such a call.`;
    const json = argv.some((a, i) => a === '--output=json' || (a === '--output' && argv[i + 1] === 'json'));
    const text = json
      ? `${JSON.stringify({ event: 'error', code: 'UNFINISHED', exitCode: 1, message: escapeControl(message) })}\n`
      : `error: ${escapeControl(message)}\n`;
    try {
      fs.writeSync(json ? 1 : 2, text);
    } catch {
      // Nowhere to say it: the exit code still does.
    }
    if (!code) process.exitCode = 1;
  });
}

/**
 * Loads zod from `bundle` (packages/tasks/vendor/zod.mjs, tasks/vendor-zod.ts makes it) wherever `import 'zod'` finds
 * the very version the bundle was made from: zod's 95 modules through Node's loader cost ~100 ms of CPU and ~13 MB
 * of peak RSS at every run, the one file ~20 ms and ~5 MB. Every importer of that zod (ours, a repo's tasks/*.ts)
 * gets the one copy, as before; any other zod (another version, a subpath such as zod/mini) loads as it is.
 * @param {string} bundle
 */
function oneFileZod(bundle) {
  const { registerHooks } = require('node:module');
  // Node 22.15 and 23.5 have it; on an older Node zod loads as it is.
  if (typeof registerHooks !== 'function') return;
  /** @type {Map<string, boolean>} zod entry URL -> whether its version is the bundle's */
  const same = new Map();
  /** @type {string | null | undefined} the bundle's zod version; null when the file is missing or unnamed */
  let bundleVersion;
  let bundleUrl = '';
  registerHooks({
    resolve(specifier, context, next) {
      const resolved = next(specifier, context);
      if (specifier !== 'zod' || !resolved.url.endsWith('/zod/index.js')) return resolved;
      if (bundleVersion === undefined) {
        bundleVersion = firstLine(bundle).match(/^\/\/ zod (\S+) in one file/)?.[1] ?? null;
        bundleUrl = require('node:url').pathToFileURL(bundle).href;
      }
      let match = same.get(resolved.url);
      if (match === undefined) {
        match = bundleVersion !== null && zodVersion(new URL('package.json', resolved.url)) === bundleVersion;
        same.set(resolved.url, match);
      }
      return match ? { ...resolved, url: bundleUrl } : resolved;
    },
  });
}

/** The first line of a file, '' when it cannot be read. @param {string} file */
function firstLine(file) {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(200);
      return head.toString('utf8', 0, fs.readSync(fd, head, 0, head.length, 0)).split('\n')[0] ?? '';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** @param {URL} packageJson @returns {string | undefined} */
function zodVersion(packageJson) {
  try {
    const pkg = JSON.parse(fs.readFileSync(packageJson, 'utf8'));
    return pkg.name === 'zod' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/** @typedef {{ root: string | undefined; packageDir: string }} FastContext */

/** Flags that may come with `--list` and friends; anything else goes to the full parser (and its errors). */
const LIST_FLAGS = new Set(['--list', '-l', '--json', '--help', '-h', '--version']);

/** @param {readonly string[]} argv @param {FastContext} ctx @returns {number | undefined} the exit code, if answered */
function serveFast(argv, ctx) {
  if (argv[0] === '__complete') return complete(argv.slice(argv[1] === '--' ? 2 : 1), ctx);
  const shape = listShape(argv);
  if (!shape) return undefined;
  if (shape.flags.has('--version')) {
    print(JSON.parse(fs.readFileSync(path.join(ctx.packageDir, 'package.json'), 'utf8')).version);
    return 0;
  }
  const cwd = shape.dir === undefined ? process.cwd() : path.resolve(shape.dir);
  const m = ctx.root && isDir(cwd) ? readManifest(ctx.root, cwd, ctx.packageDir) : undefined;
  if (!m) return undefined;
  if (shape.flags.has('--help') || shape.flags.has('-h')) print(m.text.help);
  print(shape.flags.has('--json') ? m.text.listJson : m.text.list);
  return 0;
}

/** `[-C DIR] [--list] [--json] [--help] [--version]` in any order, as cli/argv.ts reads them; else undefined. */
function listShape(/** @type {readonly string[]} */ argv) {
  const flags = new Set();
  let dir;
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    if (LIST_FLAGS.has(arg)) flags.add(arg);
    else if (arg === '-C' || arg === '--dir') {
      dir = argv[++i];
      // An empty folder name is the full parser's error to report.
      if (!dir || dir.startsWith('-')) return undefined;
    } else if (arg.startsWith('--dir=') && arg.length > '--dir='.length) dir = arg.slice('--dir='.length);
    else return undefined;
  }
  return { flags, dir };
}

/** @param {readonly string[]} words @param {FastContext} ctx */
function complete(words, ctx) {
  const { completeWords, completionDir } = require('./complete-words.cjs');
  const dir = completionDir(words, process.cwd());
  const m = ctx.root && isDir(dir) ? readManifest(ctx.root, dir, ctx.packageDir) : undefined;
  if (!m) return undefined;
  print(escapeControl(completeWords(words.length > 0 ? words : [''], m.complete, dir).join('\n')));
  // The shell scripts read their own cache file; put it back if it went missing (see cli/complete.ts).
  if (dir === process.cwd() && m.shell && ctx.root) {
    const key = projectKey(shellDir(dir));
    const file = key && path.join(ctx.root, 'complete', key);
    if (file && !fs.existsSync(file)) writeOwned(file, m.shell, m.builtAt - 1000);
  }
  return 0;
}

/** The folder as the shell names it ($PWD may go through a symlink), for the shell scripts' cache key. */
function shellDir(/** @type {string} */ cwd) {
  const pwd = process.env.PWD;
  if (!pwd || !path.isAbsolute(pwd) || pwd === cwd) return cwd;
  const a = fs.statSync(pwd, { throwIfNoEntry: false });
  const b = fs.statSync(cwd, { throwIfNoEntry: false });
  return a && b && a.ino === b.ino && a.dev === b.dev ? pwd : cwd;
}

// C0 controls except tab and newline, DEL and C1, shown as \xNN: the rule of text/escape.ts (output/safe.ts), which
// the full CLI applies to all it prints, here for completion words (backup ids are folder names anyone can make).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function escapeControl(/** @type {string} */ text) {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function isDir(/** @type {string} */ p) {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** Straight to the file descriptor: creating process.stdout loads Node's stream modules, a few ms of start-up. */
function print(/** @type {string} */ text) {
  const bytes = Buffer.from(`${text}\n`);
  for (let done = 0; done < bytes.length; ) {
    try {
      done += fs.writeSync(1, bytes, done);
    } catch (error) {
      const code = /** @type {NodeJS.ErrnoException} */ (error).code;
      // `task --list | head`: a reader that went away is not an error of ours.
      if (code === 'EPIPE') return;
      // A non-blocking pipe that is full: the stream waits for it.
      if (code === 'EAGAIN') return void process.stdout.write(bytes.subarray(done));
      throw error;
    }
  }
}

module.exports = { serveFast, shellDir, start };
