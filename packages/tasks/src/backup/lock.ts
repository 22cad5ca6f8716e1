/**
 * One migrate or restore at a time per repo: a lock file under .backups/ holding the owner's pid. A lock whose
 * process is gone (killed, crashed) is stale and is taken over, so a kill never blocks the next run.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';

export interface Lock {
  release(): void;
}

interface Owner {
  pid: number;
  task: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(backupDir: string, task: string): Lock {
  mkdirSync(backupDir, { recursive: true });
  const file = path.join(backupDir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, task, since: new Date().toISOString() } satisfies Owner));
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: Owner | undefined;
      try {
        owner = JSON.parse(readFileSync(file, 'utf8')) as Owner;
      } catch {
        // Empty or torn: written by a process killed mid-write, so stale.
      }
      if (owner && owner.pid !== process.pid && alive(owner.pid)) {
        throw new TaskError(
          ErrorCode.locked,
          `another ${owner.task} (pid ${owner.pid}, since ${owner.since}) is working on this repo; wait for it to finish. If that process is gone for good, delete ${file}.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new TaskError(ErrorCode.locked, `could not take the lock ${file}; another run took it first. Run again.`);
}
