'use strict';
/**
 * The per-user cache of promtior-tasks: task manifests, shell completion data and Node's compile cache.
 *
 * Plain CommonJS on purpose: the start-up fast path (cli/start.cjs) reads it before any ES module loads, and
 * starting Node's ES module loader alone costs about 4 ms, a tenth of a bare `node -e 0` (tasks/bench/startup.ts).
 *
 * Nothing in here is trusted unless it is ours (issue 9, item 4): the folder lives under $XDG_CACHE_HOME (else
 * ~/.cache), is mode 0700 and owned by the current user; a folder or file that is not (planted by someone else, a
 * symlink, or writable by others) is removed and rebuilt, never read.
 */
const fs = require('node:fs');
const path = require('node:path');

const NAME = 'promtior-tasks';
const MANIFEST_FORMAT = 'promtior-tasks manifest 1';
/** The largest cache file read (readOwned). */
const MAX_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * Undefined when the path is not there or cannot be looked at (a home folder this user may not enter): either way
 * it is no cache of ours, and the caller makes one elsewhere instead of crashing the CLI.
 * @param {string} p @returns {fs.Stats | undefined}
 */
function lstat(p) {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Ours and writable by nobody else. @param {fs.Stats} st @param {'dir' | 'file'} kind */
function trusted(st, kind) {
  const uid = process.getuid ? process.getuid() : -1;
  return (kind === 'dir' ? st.isDirectory() : st.isFile()) && st.uid === uid && (st.mode & 0o022) === 0;
}

/** @param {fs.Stats | undefined} st */
function distrust(st) {
  if (!st) return 'it cannot be created';
  if (st.isSymbolicLink()) return 'it is a symlink';
  if (st.uid !== (process.getuid ? process.getuid() : -1)) return `it belongs to uid ${st.uid}, not to you`;
  return 'others can write to it';
}

/**
 * Makes sure `dir` is a folder of ours with mode 0700; one that is not is removed and made afresh.
 * @param {string} dir @param {(message: string) => void} [warn] @returns {boolean}
 */
function ownedDir(dir, warn) {
  let st = lstat(dir);
  if (!st) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch {
      return false;
    }
    st = lstat(dir);
  }
  if (st && trusted(st, 'dir')) {
    if ((st.mode & 0o777) !== 0o700) fs.chmodSync(dir, 0o700);
    return true;
  }
  // Someone else's folder, a symlink, or one others can write to: nothing inside can be trusted. Start afresh.
  const why = distrust(st);
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { mode: 0o700 });
    st = lstat(dir);
    if (st && trusted(st, 'dir')) return true;
  } catch {
    // Reported below.
  }
  warn?.(`not using the cache folder ${dir}: ${why}, and it could not be replaced. Remove it; until then every start is slower.`);
  return false;
}

/**
 * The cache folder of this user, or undefined when none can be made safe (no home, read-only disk, planted folder).
 * @param {Record<string, string | undefined>} [env] @param {(message: string) => void} [warn] @returns {string | undefined}
 */
function cacheRoot(env = process.env, warn = undefined) {
  if (!process.getuid) return undefined;
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : env.HOME && path.isAbsolute(env.HOME) ? path.join(env.HOME, '.cache') : undefined;
  if (base && ownedDir(path.join(base, NAME), warn)) return path.join(base, NAME);
  const fallback = path.join(require('node:os').tmpdir(), `${NAME}-${process.getuid()}`);
  return ownedDir(fallback, warn) ? fallback : undefined;
}

/**
 * The file's text when it is a regular file of ours that nobody else can write; anything else is removed.
 * @param {string} file @returns {string | undefined}
 */
function readOwned(file) {
  let fd;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    // ELOOP: a symlink where a cache file should be.
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ELOOP') fs.rmSync(file, { force: true });
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    // Bigger than any cache file we write (a manifest of a few thousand tasks is under 1 MB): a planted or runaway
    // file would cost seconds and memory at every start, or not fit in a string at all.
    if (!trusted(st, 'file') || st.size > MAX_CACHE_BYTES) {
      fs.rmSync(file, { force: true });
      return undefined;
    }
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a cache file atomically, mode 0600, in a folder of ours; `mtimeMs` backdates it (see cli/complete.ts).
 * A cache that cannot be written only costs speed, so failures return false.
 * @param {string} file @param {string} text @param {number} [mtimeMs] @returns {boolean}
 */
function writeOwned(file, text, mtimeMs) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    if (!ownedDir(path.dirname(file))) return false;
    fs.writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    if (mtimeMs !== undefined) fs.utimesSync(tmp, mtimeMs / 1000, mtimeMs / 1000);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    fs.rmSync(tmp, { force: true });
    return false;
  }
}

/**
 * A folder's cache file name: the path with `%` and `/` escaped, so the shell scripts can compute it without a
 * process. Undefined for paths too long for a file name or with characters the line-based files cannot hold.
 * @param {string} dir @returns {string | undefined}
 */
function projectKey(dir) {
  if (/[\n\r\t]/.test(dir)) return undefined;
  const key = dir.replace(/%/g, '%25').replace(/\//g, '%2F');
  return key.length <= 200 ? key : undefined;
}

/** What a file's change is judged by: `mtimeMs:size`, or null when it does not exist. @param {string} p */
function stampOf(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  return st ? `${st.mtimeMs}:${st.size}` : null;
}

/** @param {readonly (readonly [string, string | null])[]} stamps */
function fresh(stamps) {
  for (const [p, s] of stamps) if (stampOf(p) !== s) return false;
  return true;
}

/** @param {string} root @param {string} cwd */
function manifestFile(root, cwd) {
  const key = projectKey(cwd);
  return key === undefined ? undefined : path.join(root, 'manifests', `${key}.json`);
}

/**
 * The manifest of `cwd` written by the same copy of the library, if every file it was made from is unchanged.
 * @param {string} root @param {string} cwd @param {string} packageDir @returns {import('./manifest-types.ts').Manifest | undefined}
 */
function readManifest(root, cwd, packageDir) {
  const file = manifestFile(root, cwd);
  const text = file && readOwned(file);
  if (!text) return undefined;
  try {
    const m = JSON.parse(text);
    if (m.format !== MANIFEST_FORMAT || m.cwd !== cwd || m.packageDir !== packageDir || !Array.isArray(m.stamps)) return undefined;
    return fresh(m.stamps) ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A version folder of Node's compile cache (one per Node version, architecture and flags) unused for this long is
 * removed: a Node upgrade (./task installs a new one) leaves the old one behind.
 */
const COMPILE_UNUSED_MS = 7 * 24 * 3600 * 1000;
/**
 * Past this many entries in one version folder, the least recently used go (MAX_REMOVALS a run). Node names an entry
 * after its file's path, so every temp folder a test run makes adds entries nobody reads again: one folder here had
 * 57,592 files (290 MB). A removed entry that was still in use is compiled again at its next run (a few ms).
 */
const MAX_COMPILE = 4000;

/** @param {fs.Stats} st when the entry was last written or (where the mount records it) read */
const used = (st) => Math.max(st.mtimeMs, st.atimeMs);

/**
 * At most this many entries are removed by one run (the oldest first): removing one costs ~0.3 ms here, and a cache
 * grown before this pruning existed (57,592 entries) took 15 s to empty in one go. A later run goes on.
 */
const MAX_REMOVALS = 500;

/** The names in a folder; none when it is not there or cannot be read. @param {string} dir @returns {string[]} */
function namesIn(dir) {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** @param {string} root @param {number} now */
function pruneCompileCache(root, now) {
  const dir = path.join(root, 'compile');
  /** @type {{ file: string; used: number }[]} */
  const doomed = [];
  /** @type {string[]} */
  const stale = [];
  for (const version of namesIn(dir)) {
    const folder = path.join(dir, version);
    const st = lstat(folder);
    if (!st?.isDirectory()) continue;
    const names = namesIn(folder);
    // Node adds entries to the folder as it compiles: a recent mtime is recent use, and nothing more is looked at.
    if (names.length <= MAX_COMPILE && now - st.mtimeMs <= COMPILE_UNUSED_MS) continue;
    const entries = names.map((name) => {
      const file = path.join(folder, name);
      const e = lstat(file);
      return { file, used: e ? used(e) : 0 };
    });
    // The folder's own atime is no sign of use: Node opens entries by name, and our readdir above touched it.
    const newest = entries.reduce((m, e) => Math.max(m, e.used), st.mtimeMs);
    if (now - newest > COMPILE_UNUSED_MS) {
      doomed.push(...entries);
      stale.push(folder);
    } else if (entries.length > MAX_COMPILE) {
      doomed.push(...entries);
    }
  }
  doomed.sort((a, b) => a.used - b.used);
  for (const e of doomed.slice(0, MAX_REMOVALS)) fs.rmSync(e.file, { recursive: true, force: true });
  for (const folder of stale) {
    try {
      fs.rmdirSync(folder);
    } catch {
      // Not empty yet: a later run removes the rest.
    }
  }
}

/**
 * Drops the caches of folders that are gone (test runs make many), once there are more than a few, and keeps Node's
 * compile cache in bounds. @param {string} root @param {number} [now]
 */
function prune(root, now = Date.now()) {
  pruneCompileCache(root, now);
  for (const sub of ['manifests', 'complete', 'prefetch', 'builtins']) {
    const dir = path.join(root, sub);
    const names = namesIn(dir);
    if (names.length < 64) continue;
    for (const name of names) {
      const folder = name
        .replace(/\.json$/, '')
        .replace(/%2F/g, '/')
        .replace(/%25/g, '%');
      if (!fs.existsSync(folder)) fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

module.exports = {
  MANIFEST_FORMAT,
  MAX_COMPILE,
  MAX_REMOVALS,
  cacheRoot,
  fresh,
  manifestFile,
  namesIn,
  ownedDir,
  projectKey,
  prune,
  readManifest,
  readOwned,
  stampOf,
  writeOwned,
};
