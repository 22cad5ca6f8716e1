/**
 * The migrate journal (.backups/migrate.json): written atomically before the first file changes and after the last,
 * so a crash at any point leaves either an untouched repo (no journal) or a journal that names the verified backup
 * `migrate --rollback` restores from.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../backup/atomic.ts';
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

export function readJournal(backupDir: string): Journal | undefined {
  const file = journalFile(backupDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Journal) : undefined;
}

export function writeJournal(backupDir: string, journal: Journal): void {
  writeFileAtomic(journalFile(backupDir), `${JSON.stringify(journal, null, 2)}\n`, 0o600);
}

export function removeJournal(backupDir: string): void {
  rmSync(journalFile(backupDir), { force: true });
}
