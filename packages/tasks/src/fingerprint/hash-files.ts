/**
 * Content hashes of files, with a cache keyed by what `stat` says (size, modification and change time, inode), as
 * git's index does: a file whose stat is unchanged is not read again. The decision is always the content's: a
 * `touch` or a fresh checkout changes the stat, the file is hashed again, and the same content gives the same hash.
 * A file changed within the same clock tick as its last hashing would keep its stat, so a file modified less than
 * RACY_MS before the cache was written is hashed again every time until it is older (git's "racy" rule).
 */
import { hash } from 'node:crypto';
import { readFileSync, type Stats, statSync } from 'node:fs';

export const RACY_MS = 2000;

export interface HashCache {
  /** When the cache was last written (ms since the epoch). */
  writtenAt: number;
  /** Absolute path -> [stat stamp, content hash]. */
  entries: Record<string, [string, string]>;
  /** The files looked at in this process (not stored): the state's prune stats only the others. */
  seen?: Set<string>;
}

export function emptyHashCache(): HashCache {
  return { writtenAt: 0, entries: {}, seen: new Set() };
}

export interface HashResult {
  /** Path -> hash, or null for a file that vanished meanwhile. */
  hashes: Map<string, string | null>;
  /** Whether the cache gained or lost entries (and should be written). */
  changed: boolean;
}

/** What a file's stat says about its content, as the cache keeps it. */
export const stampOf = (st: Stats): string => `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;

/**
 * Hashes `files` (absolute paths), reading only those whose stat changed since the cache saw them. `stats`, when
 * given, are the files' stats already taken (same order), so that a caller who needed them does not stat twice.
 */
export function hashFiles(files: readonly string[], cache: HashCache, stats?: readonly (Stats | undefined)[]): HashResult {
  const hashes = new Map<string, string | null>();
  let changed = false;
  for (let i = 0; i < files.length; i++) {
    const file = files[i] as string;
    cache.seen?.add(file);
    const st = stats ? stats[i] : statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile()) {
      hashes.set(file, null);
      continue;
    }
    const stamp = stampOf(st);
    const known = cache.entries[file];
    if (known && known[0] === stamp && Math.max(st.mtimeMs, st.ctimeMs) < cache.writtenAt - RACY_MS) {
      hashes.set(file, known[1]);
      continue;
    }
    let h: string;
    try {
      h = hash('sha256', readFileSync(file), 'hex');
    } catch {
      hashes.set(file, null);
      continue;
    }
    hashes.set(file, h);
    if (!known || known[0] !== stamp || known[1] !== h) {
      cache.entries[file] = [stamp, h];
      changed = true;
    } else if (Math.max(st.mtimeMs, st.ctimeMs) < Date.now() - RACY_MS) {
      // Old enough now: writing the cache again makes it trusted next time.
      changed = true;
    }
  }
  return { hashes, changed };
}
