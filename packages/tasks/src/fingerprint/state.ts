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
 *
 * Every file carries this user's salt (a random value kept in the per-user cache folder, hashed with the folder's
 * path): a state committed to a repo belongs to whoever clones it (the owner check passes), and would otherwise make
 * the clone skip a task whose outputs the repo planted. A file with another salt, or of the wrong shape, is no record: the task runs.
 */
import { hash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot, ownedDir, readOwned, writeOwned } from '../registry/cache.cjs';
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
export function openState(cwd: string, warn: (text: string) => void = () => {}, opts: { salt?: string } = {}): StateStore {
  const dir = stateDir(cwd);
  let usable: boolean | undefined;
  let salt: string | undefined | null;
  const saltOf = () => {
    if (salt === undefined) {
      const secret = opts.salt ?? userSalt();
      // Bound to the folder too: the same user's clone elsewhere of a repo that committed its state has no record.
      salt = secret === undefined ? null : hash('sha256', `${secret}\0${path.resolve(dir)}`, 'hex');
      if (salt === null) warn('no per-user cache folder to keep the state salt in: up-to-date checks cannot remember anything, every task runs.');
    }
    return salt;
  };
  // A folder that is not ours is neither read (reading removes what is not ours, even for --status) nor trusted.
  let foreign: string | undefined | null;
  const foreignWhy = () => {
    if (foreign === undefined) {
      foreign = distrusted(dir) ?? null;
      if (foreign) warn(`ignoring ${dir}: ${foreign}; a run that remembers something removes it and makes it afresh (mode 0700).`);
    }
    return foreign;
  };
  const ensure = () => {
    if (usable !== undefined) return usable;
    if (saltOf() === null) {
      usable = false;
      return usable;
    }
    foreignWhy();
    const fresh = !existsSync(dir);
    usable = ownedDir(dir, (m: string) => warn(`${m} Up-to-date checks cannot remember anything: every task runs.`));
    if (usable && fresh && path.basename(dir) === '.task') {
      writeFileSync(path.join(dir, '.gitignore'), '# promtior-tasks state: per user, never committed\n*\n', { mode: 0o600 });
    }
    return usable;
  };
  const readJson = (name: string): unknown => {
    if (foreignWhy() || !existsSync(dir)) return undefined;
    // readOwned refuses a file that is not ours, or that others can write.
    const text = readOwned(path.join(dir, name));
    if (!text) return undefined;
    try {
      const file = JSON.parse(text) as { format?: unknown; salt?: unknown; data?: unknown } | null;
      const mine = saltOf();
      return file?.format === FORMAT && mine !== null && file.salt === mine ? file.data : undefined;
    } catch {
      return undefined;
    }
  };
  const writeJson = (name: string, value: unknown) => {
    if (ensure()) writeOwned(path.join(dir, name), JSON.stringify({ format: FORMAT, salt: saltOf(), data: value }));
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
      hashes ??= asHashCache(readJson('hashes.json'));
      return hashes;
    },
    saveHashes() {
      if (!hashes) return;
      prune(hashes);
      hashes.writtenAt = Date.now();
      writeJson('hashes.json', { writtenAt: hashes.writtenAt, entries: hashes.entries });
    },
    fingerprint(key) {
      const small = readJson(path.join('tasks', `${fileKey(key)}.fingerprint.json`)) as { fingerprint?: unknown } | undefined;
      return isObject(small) && typeof small.fingerprint === 'string' ? small.fingerprint : undefined;
    },
    stamps(key) {
      const s = readJson(path.join('tasks', `${fileKey(key)}.stamps.json`)) as Partial<StampDigest> | undefined;
      return isObject(s) && typeof s.digest === 'string' && typeof s.fingerprint === 'string' ? { digest: s.digest, fingerprint: s.fingerprint } : undefined;
    },
    saveStamps: (key, stamps) => writeJson(path.join('tasks', `${fileKey(key)}.stamps.json`), { digest: stamps.digest, fingerprint: stamps.fingerprint }),
    record: (key) => asRecord(readJson(path.join('tasks', `${fileKey(key)}.json`))),
    saveRecord: (key, record) => {
      // The record first: a run stopped between the two writes leaves the old fingerprint, whose record no longer
      // matches it, and the check then says so instead of naming the wrong change.
      writeJson(path.join('tasks', `${fileKey(key)}.json`), record);
      writeJson(path.join('tasks', `${fileKey(key)}.fingerprint.json`), { fingerprint: record.fingerprint });
    },
    durations: () => {
      const d = readJson('durations.json');
      return isObject(d) && Object.values(d).every((v) => typeof v === 'number') ? (d as Record<string, number>) : {};
    },
    saveDurations: (d) => writeJson('durations.json', d),
  };
}

/** A task key as a file name: its characters kept where safe, the rest escaped. */
function fileKey(key: string): string {
  return key.replace(/[^A-Za-z0-9_.:-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).slice(0, 200);
}

/** Bumped when the files change shape; with the salt, what tells a record of ours from anything else. */
const FORMAT = 'promtior-tasks state 2';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string');

/** A record of the right shape, else none (a corrupt or hand-edited file means the task runs). */
function asRecord(v: unknown): FingerprintRecord | undefined {
  if (!isObject(v) || typeof v.fingerprint !== 'string') return undefined;
  if (!isStringMap(v.files) || !isStringMap(v.generates) || !isStringMap(v.values)) return undefined;
  return { fingerprint: v.fingerprint, files: v.files, generates: v.generates, values: v.values };
}

/** The hash cache, keeping only well-formed entries ([stamp, hash]). */
function asHashCache(v: unknown): HashCache {
  const cache = emptyHashCache();
  if (!isObject(v) || typeof v.writtenAt !== 'number' || !isObject(v.entries)) return cache;
  cache.writtenAt = v.writtenAt;
  for (const [file, e] of Object.entries(v.entries)) {
    if (Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string') cache.entries[file] = e as [string, string];
  }
  return cache;
}

/**
 * Drops the entries of files that are gone, looking only at those this run did not hash (in a run that checks every
 * task, the deleted files alone): replacing 2,000 files three times grew the cache to 6,000 entries.
 */
function prune(cache: HashCache): void {
  const seen = cache.seen;
  for (const file of Object.keys(cache.entries)) {
    if (seen?.has(file)) continue;
    let there = true;
    try {
      there = statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
    } catch {
      there = false;
    }
    if (!there) delete cache.entries[file];
  }
}

/** Why a state folder is not to be trusted (another user's, or writable by others), or undefined. */
function distrusted(dir: string): string | undefined {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(dir, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!st) return undefined;
  if (st.isSymbolicLink()) return 'it is a symlink';
  if (!st.isDirectory()) return 'it is not a folder';
  if (process.getuid && st.uid !== process.getuid()) return `it belongs to uid ${st.uid}, not to you`;
  if ((st.mode & 0o022) !== 0) return `others can write to it (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

let salted: string | undefined;
/** This user's state salt, made on first use in the per-user cache folder (undefined when there is none). */
function userSalt(): string | undefined {
  if (salted) return salted;
  const root = cacheRoot(process.env);
  if (!root) return undefined;
  const file = path.join(root, 'state-salt');
  const valid = (t: string | undefined) => (t && /^[0-9a-f]{64}$/.test(t.trim()) ? t.trim() : undefined);
  let text = valid(readOwned(file));
  if (!text) {
    // Written atomically, then read back: of two processes racing, both keep the one that stayed.
    writeOwned(file, randomBytes(32).toString('hex'));
    text = valid(readOwned(file));
  }
  salted = text;
  return text;
}
