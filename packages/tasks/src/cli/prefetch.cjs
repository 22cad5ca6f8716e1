'use strict';
/**
 * The daemon questions a command asked last time in this folder (facts/daemon-get.cjs sends them ahead at start),
 * kept in the per-user cache (registry/cache.cjs: ours, 0700, checked before it is read) as
 * prefetch/<folder>.json: for each command line (by its SHA-256: a token typed on the command line is not written
 * down), its questions. Only speed rides on it: a record that is missing, stale or not ours means the facts ask as
 * they go.
 */
const path = require('node:path');
const { ownedDir, projectKey, readOwned, writeOwned } = require('../registry/cache.cjs');

const FORMAT = 'promtior-tasks prefetch 1';
/** Command lines remembered per folder; the oldest goes first. */
const MAX_COMMANDS = 20;

/** @param {string} root @param {string} cwd */
function recordFile(root, cwd) {
  const key = projectKey(cwd);
  return key === undefined ? undefined : path.join(root, 'prefetch', `${key}.json`);
}

/** @param {readonly string[]} argv */
function commandKey(argv) {
  const { createHash } = /** @type {typeof import('node:crypto')} */ (process.getBuiltinModule('node:crypto'));
  return createHash('sha256').update(argv.join('\0')).digest('hex');
}

/** @typedef {import('../facts/daemon-get.cjs').Ask} Ask */

/** @param {unknown} a @returns {a is Ask} */
function isAsk(a) {
  if (typeof a !== 'object' || a === null) return false;
  const o = /** @type {Record<string, unknown>} */ (a);
  // Only questions: a path of the API, read with GET (daemon-get.cjs sends nothing else).
  if (typeof o.path !== 'string' || !/^\/[\w./:@%+-]*(\?[\w=&%.,:+-]*)?$/.test(o.path)) return false;
  if (typeof o.deadlineMs !== 'number' || !(o.deadlineMs > 0 && o.deadlineMs <= 60_000)) return false;
  return typeof o.socketPath === 'string' ? path.isAbsolute(o.socketPath) : typeof o.host === 'string' && Number.isInteger(o.port);
}

/** @typedef {{ file: string | undefined; key: string; asks: Ask[]; runs: Record<string, Ask[]> }} Remembered */

/**
 * The questions `argv` asked last time in `cwd`, with what `save` needs to update the record.
 * @param {string} root @param {string} cwd @param {readonly string[]} argv @returns {Remembered}
 */
function load(root, cwd, argv) {
  const file = recordFile(root, cwd);
  const key = commandKey(argv);
  // The folder too must be ours, nobody else's to write (ownedDir replaces it otherwise), like every cache folder.
  const text = file && ownedDir(path.dirname(file)) && readOwned(file);
  if (!text) return { file, key, asks: [], runs: {} };
  try {
    const r = JSON.parse(text);
    if (r.format !== FORMAT || typeof r.runs !== 'object' || r.runs === null) return { file, key, asks: [], runs: {} };
    const asks = r.runs[key];
    return { file, key, asks: Array.isArray(asks) ? asks.filter(isAsk) : [], runs: r.runs };
  } catch {
    return { file, key, asks: [], runs: {} };
  }
}

/**
 * Remembers what this run asked while planning, when that differs from what was remembered.
 * @param {Remembered} before what `load` gave @param {readonly Ask[]} asked
 */
function save(before, asked) {
  if (!before.file || JSON.stringify(asked) === JSON.stringify(before.asks)) return;
  const runs = { ...before.runs };
  delete runs[before.key];
  if (asked.length > 0) runs[before.key] = [...asked];
  const keys = Object.keys(runs);
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_COMMANDS))) delete runs[old];
  writeOwned(before.file, JSON.stringify({ format: FORMAT, runs }));
}

module.exports = { load, save };
