/**
 * Where a repo keeps what the up-to-date checks remember: `node_modules/.cache/promtior-tasks/` when the repo has a
 * node_modules folder, else `.task/` (go-task's folder, with a .gitignore of its own). Per user and trusted only
 * when it is ours, as the manifest cache is (registry/cache.cjs: mode 0700, owner-checked, files 0600, written
 * atomically): someone else's or a planted state could otherwise make a task look up to date.
 *
 * Files: `hashes.json`, the stat-keyed content hashes (fingerprint/hash-files.ts); `tasks/<key>.json`, one record
 * per task: the fingerprint of its last success and the hashes it was made of (to say what changed), with the
 * fingerprint alone beside it in `tasks/<key>.fingerprint.json` (the check reads only that when nothing changed);
 * `tasks/<key>.stamps.json`, the digest of the inputs' stats and the fingerprint their content gave (so that an
 * unchanged repo is not read again, fingerprint/fingerprint.ts); and
 * `durations.json`, how long each task last took (the scheduler starts long chains first).
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ownedDir, readOwned, writeOwned } from '../registry/cache.cjs';
import type { StampDigest } from './fingerprint.ts';
import { emptyHashCache, type HashCache } from './hash-files.ts';

/** What a fingerprint was made of, kept to say what changed. */
export interface FingerprintRecord {
  fingerprint: string;
  /** Source path (relative to the task's folder) -> content hash. */
  files: Record<string, string>;
  /** Generated path -> content hash. */
  generates: Record<string, string>;
  /** Value name -> hash of the value (values may be secrets: never stored as they are). */
  values: Record<string, string>;
}

export interface StateStore {
  /** The folder (it exists only once something was remembered). */
  dir: string;
  hashes(): HashCache;
  saveHashes(): void;
  /** The fingerprint of the last success alone: a few bytes, read on every check. */
  fingerprint(key: string): string | undefined;
  /** The stat digest of the inputs last fingerprinted under this key, and the fingerprint they gave. */
  stamps(key: string): StampDigest | undefined;
  saveStamps(key: string, stamps: StampDigest): void;
  /** What that fingerprint was made of (a big file on a big repo): read only to say what changed. */
  record(key: string): FingerprintRecord | undefined;
  saveRecord(key: string, record: FingerprintRecord): void;
  durations(): Record<string, number>;
  /** Says something about the inputs once per run (the same text twice is said once). */
  warn(text: string): void;
  saveDurations(durations: Record<string, number>): void;
}

/** The state folder of a repo: node_modules/.cache/promtior-tasks when there is a node_modules, else .task. */
export function stateDir(cwd: string): string {
  return statSync(path.join(cwd, 'node_modules'), { throwIfNoEntry: false })?.isDirectory()
    ? path.join(cwd, 'node_modules', '.cache', 'promtior-tasks')
    : path.join(cwd, '.task');
}

/**
 * The repo's state. Nothing is created until something is remembered (a run that fails, or a task without
 * sources, leaves the repo as it was); a folder that cannot be made safe remembers nothing (every task then runs),
 * and `warn` says why once.
 */
export function openState(cwd: string, warn: (text: string) => void = () => {}): StateStore {
  const dir = stateDir(cwd);
  let usable: boolean | undefined;
  const ensure = () => {
    if (usable !== undefined) return usable;
    const fresh = !existsSync(dir);
    usable = ownedDir(dir, (m: string) => warn(`${m} Up-to-date checks cannot remember anything: every task runs.`));
    if (usable && fresh && path.basename(dir) === '.task') {
      writeFileSync(path.join(dir, '.gitignore'), '# promtior-tasks state: per user, never committed\n*\n', { mode: 0o600 });
    }
    return usable;
  };
  const readJson = <T>(name: string): T | undefined => {
    // readOwned refuses a file that is not ours, or that others can write.
    const text = readOwned(path.join(dir, name));
    if (!text) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  };
  const writeJson = (name: string, value: unknown) => {
    if (ensure()) writeOwned(path.join(dir, name), JSON.stringify(value));
  };
  let hashes: HashCache | undefined;
  const said = new Set<string>();
  return {
    dir,
    warn: (text) => {
      if (said.has(text)) return;
      said.add(text);
      warn(text);
    },
    hashes() {
      hashes ??= readJson<HashCache>('hashes.json') ?? emptyHashCache();
      if (typeof hashes.entries !== 'object' || hashes.entries === null) hashes = emptyHashCache();
      return hashes;
    },
    saveHashes() {
      if (!hashes) return;
      hashes.writtenAt = Date.now();
      writeJson('hashes.json', hashes);
    },
    fingerprint(key) {
      const small = readJson<{ fingerprint?: unknown }>(path.join('tasks', `${fileKey(key)}.fingerprint.json`));
      if (small) return typeof small.fingerprint === 'string' ? small.fingerprint : undefined;
      // A state written before the split.
      const full = readJson<FingerprintRecord>(path.join('tasks', `${fileKey(key)}.json`));
      return typeof full?.fingerprint === 'string' ? full.fingerprint : undefined;
    },
    stamps(key) {
      const s = readJson<Partial<StampDigest>>(path.join('tasks', `${fileKey(key)}.stamps.json`));
      return typeof s?.digest === 'string' && typeof s.fingerprint === 'string' ? { digest: s.digest, fingerprint: s.fingerprint } : undefined;
    },
    saveStamps: (key, stamps) => writeJson(path.join('tasks', `${fileKey(key)}.stamps.json`), { digest: stamps.digest, fingerprint: stamps.fingerprint }),
    record: (key) => readJson<FingerprintRecord>(path.join('tasks', `${fileKey(key)}.json`)),
    saveRecord: (key, record) => {
      // The record first: a run stopped between the two writes leaves the old fingerprint, whose record no longer
      // matches it, and the check then says so instead of naming the wrong change.
      writeJson(path.join('tasks', `${fileKey(key)}.json`), record);
      writeJson(path.join('tasks', `${fileKey(key)}.fingerprint.json`), { fingerprint: record.fingerprint });
    },
    durations: () => readJson<Record<string, number>>('durations.json') ?? {},
    saveDurations: (d) => writeJson('durations.json', d),
  };
}

/** A task key as a file name: its characters kept where safe, the rest escaped. */
function fileKey(key: string): string {
  return key.replace(/[^A-Za-z0-9_.:-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).slice(0, 200);
}
