/**
 * A task's fingerprint: one hash over the content of its sources, the generated files, the extra files and its
 * named values, with the parts kept so that a difference can be named ("src/a.ts changed", "option target
 * changed"). A Docker build context is read as the builder reads it: everything in the folder less what the
 * .dockerignore leaves out, matched by @promtior/audit's matcher (the one the audit uses).
 */
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
// The matcher alone: the package's index loads every rule, the Dockerfile parser and YAML (~150 modules).
import { isIgnored, parseDockerignore } from '@promtior/audit/dockerignore';
import type { FingerprintSpec } from '../model/up-to-date.ts';
import { globFiles } from './glob.ts';
import { type HashCache, hashFiles } from './hash-files.ts';
import type { FingerprintRecord } from './state.ts';

export interface Computed {
  record: FingerprintRecord;
  /** Generated files a glob should have found and did not: the task must run. */
  missing: string[];
  /** The hash cache gained entries. */
  cacheChanged: boolean;
}

const sha = (text: string) => hash('sha256', text, 'hex');

/**
 * `own` is the state folder: what the checks write there must not change the fingerprints (it sits in the repo, and
 * in a build context unless .dockerignore leaves it out).
 */
export function computeFingerprint(spec: FingerprintSpec, cache: HashCache, own?: string): Computed {
  const ignoreFile = spec.dockerignore && readText(spec.dockerignore);
  const ignore = ignoreFile !== undefined && ignoreFile !== '' ? parseDockerignore(spec.dockerignore as string, ignoreFile) : undefined;
  const ownRel = own && path.relative(spec.dir, own);
  const sources = globFiles(spec.dir, spec.sources, {
    all: spec.dockerignore !== undefined,
    ignore: (rel: string, isDir: boolean) => (isDir && rel === ownRel) || (ignore !== undefined && isIgnored(ignore, rel)),
  });
  const generated = spec.generates.length > 0 ? globFiles(spec.dir, spec.generates) : [];
  const missing = spec.generates.filter((g) => !g.startsWith('!') && globFiles(spec.dir, [g]).length === 0);
  const extra = [...(spec.files ?? []), ...(spec.dockerignore ? [spec.dockerignore] : [])].map((f) => path.resolve(spec.dir, f));
  const abs = (rel: string) => path.join(spec.dir, rel);
  const { hashes, changed } = hashFiles([...sources.map(abs), ...generated.map(abs), ...extra], cache);
  const files: Record<string, string> = {};
  for (const rel of sources) files[rel] = hashes.get(abs(rel)) ?? 'missing';
  // Files outside the folder are named by their absolute path.
  for (const f of extra) files[path.relative(spec.dir, f).startsWith('..') ? f : path.relative(spec.dir, f)] = hashes.get(f) ?? 'missing';
  const generates: Record<string, string> = {};
  for (const rel of generated) generates[rel] = hashes.get(abs(rel)) ?? 'missing';
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.values)) values[k] = sha(v);
  return { record: combine(spec, files, generates, values), missing, cacheChanged: changed };
}

/**
 * The record to keep after a success: the sources and values as the check saw them before the task ran (a source
 * edited meanwhile makes the next run run again), the generated files as the task left them.
 */
export function afterSuccess(spec: FingerprintSpec, before: FingerprintRecord, cache: HashCache, own?: string): FingerprintRecord {
  if (spec.generates.length === 0) return before;
  const now = computeFingerprint({ ...spec, sources: [], files: [], dockerignore: undefined }, cache, own).record;
  return combine(spec, before.files, now.generates, before.values);
}

function combine(spec: FingerprintSpec, files: Record<string, string>, generates: Record<string, string>, values: Record<string, string>): FingerprintRecord {
  const fingerprint = sha(JSON.stringify([sorted(files), sorted(generates), sorted(values), spec.sources, spec.generates]));
  return { fingerprint, files, generates, values };
}

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

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function sorted(o: Record<string, string>): [string, string][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
