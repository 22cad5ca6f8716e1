'use strict';
/**
 * Completion candidates for the words typed so far (`task __complete -- <words>`), from the manifest's completion
 * data: task names, flags, enum choices, and backup ids read from `.backups/`. Plain CommonJS so the fast path can
 * answer without loading TypeScript (see registry/cache.cjs). The shell scripts in completion/ follow the same
 * rules on their cache file and ask this only for what needs the CLI.
 */
const fs = require('node:fs');
const path = require('node:path');
const { namesIn } = require('../registry/cache.cjs');

/**
 * @typedef {import('../registry/manifest-types.ts').CompletionData} CompletionData
 * @typedef {import('../registry/manifest-types.ts').ValueKind} ValueKind
 */

/** @param {readonly string[]} words @param {CompletionData} data @param {string} cwd @returns {string[]} */
function completeWords(words, data, cwd) {
  const current = words.length > 0 ? /** @type {string} */ (words[words.length - 1]) : '';
  const before = words.slice(0, -1);
  const prev = before[before.length - 1];
  /** @param {readonly string[]} list */
  const matching = (list) => list.filter((c) => c.startsWith(current));
  const globalValue = prev === undefined ? undefined : data.globalValues[prev];
  if (globalValue !== undefined) return values(globalValue, current, cwd);
  let name;
  for (let i = 0; i < before.length; i++) {
    const w = /** @type {string} */ (before[i]);
    if (!w.startsWith('-')) {
      name = w;
      break;
    }
    if (data.globalValues[w] !== undefined) i++;
  }
  if (name === undefined) return matching(current.startsWith('-') ? data.globals : data.tasks);
  const flags = data.flags[name];
  if (!flags) return [];
  const spec = flags.find((f) => f.flag === prev);
  if (spec?.values !== undefined) return values(spec.values, current, cwd);
  if (current.startsWith('-')) return matching([...flags.map((f) => f.flag), ...data.globals]);
  const positional = data.positional[name];
  return positional === undefined ? [] : values(positional, current, cwd);
}

/** @param {ValueKind} kind @param {string} current @param {string} cwd @returns {string[]} */
function values(kind, current, cwd) {
  if (kind === 'backup-id') return backupIds(cwd, current);
  if (kind === 'free') return [];
  return kind.filter((c) => c.startsWith(current));
}

/**
 * The folder completion is for: `-C DIR` (or `--dir DIR`) among the words already typed, else the working directory.
 * @param {readonly string[]} words @param {string} cwd
 */
function completionDir(words, cwd) {
  const at = words.findIndex((w) => w === '-C' || w === '--dir');
  return at >= 0 && at + 1 < words.length - 1 ? path.resolve(cwd, /** @type {string} */ (words[at + 1])) : cwd;
}

/** Backups of this folder that have a manifest, oldest first. @param {string} cwd @param {string} prefix */
function backupIds(cwd, prefix) {
  const dir = path.join(cwd, '.backups');
  return namesIn(dir)
    .filter((id) => /^\d{8}T/.test(id) && id.startsWith(prefix) && fs.existsSync(path.join(dir, id, 'manifest.json')))
    .sort();
}

module.exports = { completeWords, completionDir };
