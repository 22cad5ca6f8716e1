/**
 * One migrate or restore at a time per repo. The lock is a file `.lock.<generation>` under .backups/ holding its
 * owner's pid, created atomically with its content (hard link of a fully written temp file). Generations only grow:
 * whoever finds the newest lock's owner gone (killed, crashed) takes over by creating the *next* generation, which
 * only one process can create; a released lock stays as the newest generation with `released: true`, so numbers
 * never repeat. So a kill never blocks the next run, and two runs that find the same stale lock can
 * never both take it over (a rename-over or delete-then-create takeover would let both through). Older generations are
 * tidied away, so a taker that stalled long enough can re-create one: it checks after linking that no newer one exists.
 */
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import { checkpoint } from './checkpoint.ts';

export interface Lock {
  release(): void;
}

interface Owner {
  pid: number;
  task: string;
  since: string;
  /** Set on release. The file stays, so generations never go back and a slow taker can never reuse one. */
  released?: boolean;
}

const LOCK = /^\.lock(?:\.(\d+))?$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The newest lock file and its generation (a plain `.lock` from older versions counts as generation 0). */
function newest(dir: string): { file: string; generation: number } | undefined {
  let best: { file: string; generation: number } | undefined;
  for (const name of readdirSync(dir)) {
    const m = LOCK.exec(name);
    if (!m) continue;
    const generation = Number(m[1] ?? 0);
    if (!best || generation > best.generation) best = { file: path.join(dir, name), generation };
  }
  return best;
}

function ownerOf(file: string): Owner | undefined | 'gone' {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch (error) {
    // Released between the listing and the read; or unreadable, which a lock this code wrote never is.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
}

export function acquireLock(backupDir: string, task: string): Lock {
  mkdirSync(backupDir, { recursive: true, mode: 0o700 });
  const tmp = path.join(backupDir, `.lock-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, task, since: new Date().toISOString() } satisfies Owner), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = newest(backupDir);
      if (current) {
        const owner = ownerOf(current.file);
        if (owner === 'gone') continue;
        if (owner && !owner.released && owner.pid !== process.pid && alive(owner.pid)) {
          throw new TaskError(
            ErrorCode.locked,
            `another ${owner.task} (pid ${owner.pid}, since ${owner.since}) is working on this repo; wait for it to finish. If that process is gone for good, delete ${current.file}.`,
          );
        }
      }
      if (current) checkpoint('lock judged stale');
      const generation = (current?.generation ?? 0) + 1;
      const mine = path.join(backupDir, `.lock.${generation}`);
      try {
        linkSync(tmp, mine);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue; // Someone else took this generation first: look again.
        throw error;
      }
      // A taker that stalled between reading the lock and linking (a busy machine: seconds) may have linked a
      // generation that a later owner had already tidied away, while that owner still holds a newer one. Only the
      // newest generation is the lock: a newer one means ours is stale, so it goes and we look again.
      if ((newest(backupDir)?.generation ?? 0) > generation) {
        rmSync(mine, { force: true });
        continue;
      }
      // Ours now; older generations are all stale (each was the newest once and its owner is gone), so tidy them.
      for (const name of readdirSync(backupDir)) {
        const m = LOCK.exec(name);
        if (m && path.join(backupDir, name) !== mine && Number(m[1] ?? 0) < generation) rmSync(path.join(backupDir, name), { force: true });
      }
      return {
        release: () => {
          const done = `${tmp}.released`;
          writeFileSync(done, JSON.stringify({ pid: process.pid, task, since: new Date().toISOString(), released: true } satisfies Owner), { mode: 0o600 });
          renameSync(done, mine);
        },
      };
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  throw new TaskError(ErrorCode.locked, `could not take the lock in ${backupDir}: other runs kept taking it first. Run again.`);
}
