/**
 * A task's fingerprint: one hash over the content of its sources, the generated files, the extra files and its
 * named values, with the parts kept so that a difference can be named ("src/a.ts changed", "option target
 * changed"). A Docker build context is read as the builder reads it: everything in the folder less what the
 * .dockerignore leaves out, matched by @promtior/audit's matcher (the one the audit uses).
 */
import { createHash, hash } from 'node:crypto';
import { readFileSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
// The matcher alone: the package's index would load the whole audit (yaml, dockerfile-ast) into every task run.
import { isIgnored, parseDockerignore } from '@promtior/audit/dockerignore';
import type { FingerprintSpec } from '../model/up-to-date.ts';
import { globFiles } from './glob.ts';
import { type HashCache, hashFiles, RACY_MS, stampOf } from './hash-files.ts';
import type { FingerprintRecord } from './state.ts';

export interface Computed {
  /** The fingerprint: taken from `known` when every file's stat matches it, else computed from the content. */
  fingerprint: string;
  /** What it is made of (computed on first use when the stats gave the fingerprint). */
  record(): FingerprintRecord;
  /** Generated files a glob should have found and did not: the task must run. */
  missing: string[];
  /** Inputs whose names are not UTF-8 (\x-escaped): they cannot be fingerprinted, so the task runs every time. */
  undecodable: string[];
  /** Whether the hash cache gained entries (and should be written). */
  cacheChanged(): boolean;
  /**
   * A digest of every input's path and stat, with the values and globs: equal digests mean the same inputs, so the
   * same fingerprint. Worth remembering only when `trusted` (every file older than the racy window).
   */
  stamps: StampDigest & { trusted: boolean };
}

/** A stat digest and the fingerprint the content gave for it. */
export interface StampDigest {
  digest: string;
  fingerprint: string;
}

const sha = (text: string) => hash('sha256', text, 'hex');

/**
 * `own` is the state folder: what the checks write there must not change the fingerprints (it sits in the repo, and
 * in a build context unless .dockerignore leaves it out). `cache` is asked for only when content must be read.
 *
 * Every input is stat'ed (which a content check cannot avoid); when the stats, the values and the globs digest to
 * `known.digest`, the inputs are those `known.fingerprint` was computed from, and no file, hash cache or record is
 * read: on a repo of 10,000 files that is most of the check (git's index answers `status` the same way).
 */
export function computeFingerprint(spec: FingerprintSpec, cache: () => HashCache, own?: string, known?: StampDigest, warn?: (text: string) => void): Computed {
  const ignoreFile = spec.dockerignore && readText(spec.dockerignore);
  const ignore = ignoreFile !== undefined && ignoreFile !== '' ? parseDockerignore(spec.dockerignore as string, ignoreFile) : undefined;
  const ownRel = own && path.relative(spec.dir, own);
  const undecodable: string[] = [];
  const sources = globFiles(spec.dir, spec.sources, {
    all: spec.dockerignore !== undefined,
    warn,
    undecodable: (rel) => undecodable.push(rel),
    ignore: (rel: string, isDir: boolean) => (isDir && rel === ownRel) || (ignore !== undefined && isIgnored(ignore, rel)),
  });
  const generated = spec.generates.length > 0 ? globFiles(spec.dir, spec.generates, { warn, undecodable: (rel) => undecodable.push(rel) }) : [];
  const missing = spec.generates.filter((g) => !g.startsWith('!') && globFiles(spec.dir, [g]).length === 0);
  const extra = [...(spec.files ?? []), ...(spec.dockerignore ? [spec.dockerignore] : [])].map((f) => path.resolve(spec.dir, f));
  // Plain concatenation, not path.join: the glob's paths are already normal, and on 10,000 files join is a tenth of
  // the check.
  const base = path.resolve(spec.dir);
  const abs = (rel: string) => `${base}${path.sep}${rel}`;
  const sourcePaths = sources.map(abs);
  const generatedPaths = generated.map(abs);
  const all = [...sourcePaths, ...generatedPaths, ...extra];
  const stats = all.map(statOrNone);
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.values)) values[k] = sha(v);
  const stamps = stampDigest(spec, all, stats, values);
  let full: { record: FingerprintRecord; changed: boolean } | undefined;
  const compute = () => {
    if (full) return full;
    const { hashes, changed } = hashFiles(all, cache(), stats);
    const files: Record<string, string> = {};
    for (let i = 0; i < sources.length; i++) files[sources[i] as string] = hashes.get(sourcePaths[i] as string) ?? 'missing';
    // Files outside the folder are named by their absolute path.
    for (const f of extra) files[path.relative(spec.dir, f).startsWith('..') ? f : path.relative(spec.dir, f)] = hashes.get(f) ?? 'missing';
    const generates: Record<string, string> = {};
    for (let i = 0; i < generated.length; i++) generates[generated[i] as string] = hashes.get(generatedPaths[i] as string) ?? 'missing';
    full = { record: combine(spec, files, generates, values), changed };
    return full;
  };
  const fingerprint = known && known.digest === stamps.digest ? known.fingerprint : compute().record.fingerprint;
  return {
    fingerprint,
    record: () => compute().record,
    missing,
    undecodable,
    cacheChanged: () => full?.changed ?? false,
    stamps: { ...stamps, fingerprint },
  };
}

/** What the stats say, as one digest (see computeFingerprint), and whether every file is old enough to trust it. */
function stampDigest(spec: FingerprintSpec, files: readonly string[], stats: readonly (Stats | undefined)[], values: Record<string, string>) {
  const h = createHash('sha256');
  let chunk = `stamps 1\0${JSON.stringify([spec.sources, spec.generates, Object.entries(values)])}\0`;
  let newest = 0;
  for (let i = 0; i < files.length; i++) {
    const st = stats[i];
    const file = files[i] as string;
    chunk += `${file.length}:${file}${st?.isFile() ? stampOf(st) : 'none'}\0`;
    if (st) newest = Math.max(newest, st.mtimeMs, st.ctimeMs);
    if (chunk.length > 65_536) {
      h.update(chunk);
      chunk = '';
    }
  }
  return { digest: h.update(chunk).digest('hex'), trusted: newest < Date.now() - RACY_MS };
}

/**
 * The record to keep after a success: the sources and values as the check saw them before the task ran (a source
 * edited meanwhile makes the next run run again), the generated files as the task left them.
 */
export function afterSuccess(spec: FingerprintSpec, before: FingerprintRecord, cache: () => HashCache, own?: string): FingerprintRecord {
  if (spec.generates.length === 0) return before;
  const now = computeFingerprint({ ...spec, sources: [], files: [], dockerignore: undefined }, cache, own).record();
  return combine(spec, before.files, now.generates, before.values);
}

/**
 * One hash over the parts, fed entry by entry: no sorted copy and no JSON text of 10,000 entries is built. Every
 * string is length-prefixed, so no two different inputs feed the same bytes (a file name may hold any character).
 */
function combine(spec: FingerprintSpec, files: Record<string, string>, generates: Record<string, string>, values: Record<string, string>): FingerprintRecord {
  const h = createHash('sha256');
  // Fed in chunks: one update call per entry would cost more than the hashing.
  let chunk = '';
  const put = (s: string) => {
    chunk += `${s.length}:${s}`;
    if (chunk.length > 65_536) {
      h.update(chunk);
      chunk = '';
    }
  };
  for (const part of [files, generates, values]) {
    const keys = Object.keys(part);
    put(String(keys.length));
    // Usually sorted already (the glob returns sorted paths): sort() is then one pass.
    for (const k of keys.sort(byCodeUnit)) {
      put(k);
      put(part[k] as string);
    }
  }
  for (const list of [spec.sources, spec.generates]) {
    put(String(list.length));
    for (const g of list) put(g);
  }
  return { fingerprint: h.update(chunk).digest('hex'), files, generates, values };
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What differs between the last success and now, in a few words ("src/a.ts changed", "2 files added: a, b"). */
export function describeChange(before: FingerprintRecord | undefined, now: FingerprintRecord): string {
  if (!before) return 'no earlier success recorded';
  const parts: string[] = [];
  const diff = (what: string, a: Record<string, string>, b: Record<string, string>) => {
    const changed = Object.keys(b).filter((k) => k in a && a[k] !== b[k]);
    const added = Object.keys(b).filter((k) => !(k in a));
    const removed = Object.keys(a).filter((k) => !(k in b));
    for (const [list, verb] of [
      [changed, 'changed'],
      [added, 'added'],
      [removed, 'removed'],
    ] as const) {
      if (list.length === 0) continue;
      const shown = list.slice(0, 3).join(', ') + (list.length > 3 ? `, +${list.length - 3} more` : '');
      parts.push(list.length === 1 ? `${shown} ${verb}` : `${list.length} ${what}s ${verb}: ${shown}`);
    }
  };
  diff('value', before.values ?? {}, now.values);
  diff('file', before.files ?? {}, now.files);
  diff('generated file', before.generates ?? {}, now.generates);
  return parts.join('; ') || 'the inputs changed';
}

/** A file's stat, or none for one that cannot be stat'ed (a link loop is no crash: the file counts as missing). */
function statOrNone(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
