/**
 * The migrate journal (.backups/migrate.json): written atomically before the first file changes and after the last,
 * so a crash at any point leaves either an untouched repo (no journal) or a journal that names the verified backup
 * `migrate --rollback` restores from.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../backup/atomic.ts';
import { unsafePath } from '../backup/manifest-check.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import type { Strategy } from './changes.ts';

export interface JournalEntry {
  path: string;
  /** Whether the file existed before migrate (restore it) or was added (delete it on rollback). */
  existedBefore: boolean;
  /** sha256 of what migrate wrote: a different hash later means the file was edited by hand. */
  written: string;
}

export interface Journal {
  status: 'in-progress' | 'done';
  backupId: string;
  strategy: Strategy;
  at: string;
  entries: JournalEntry[];
}

export function journalFile(backupDir: string): string {
  return path.join(backupDir, 'migrate.json');
}

/** The journal, or undefined when there is none. It is input too: a corrupt or crafted one is refused, never followed. */
export function readJournal(backupDir: string): Journal | undefined {
  const file = journalFile(backupDir);
  if (!existsSync(file)) return undefined;
  let raw: Journal;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Journal;
  } catch {
    throw new TaskError(
      ErrorCode.backupCorrupt,
      `${file} is not valid JSON (corrupt or cut short), so migrate cannot tell what it changed. Nothing was changed. Restore the files from the newest backup (task backup --list, task restore ID --files), then delete ${file}.`,
    );
  }
  const bad = (Array.isArray(raw?.entries) ? raw.entries : [{ path: '' }]).flatMap((e) => {
    const why = typeof e?.path === 'string' ? unsafePath(e.path) : 'is not a string';
    return why ? [`entry ${JSON.stringify(String(e?.path).slice(0, 100))} ${why}`] : [];
  });
  if (bad.length > 0 || typeof raw.backupId !== 'string') {
    throw new TaskError(
      ErrorCode.backupCorrupt,
      `${file} is not a journal this tool wrote (${bad.slice(0, 3).join('; ') || 'no backupId'}), so nothing was changed. Restore from a backup by hand (task restore ID --files) and delete ${file}.`,
    );
  }
  return raw;
}

export function writeJournal(backupDir: string, journal: Journal): void {
  writeFileAtomic(journalFile(backupDir), `${JSON.stringify(journal, null, 2)}\n`, 0o600);
}

export function removeJournal(backupDir: string): void {
  rmSync(journalFile(backupDir), { force: true });
}
