/** Puts every file migrate touched back to its bytes from the backup (or removes it if migrate added it). */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fsyncDir, writeFileAtomic } from '../backup/atomic.ts';
import { checkpoint } from '../backup/checkpoint.ts';
import { isSecretFile } from '../backup/files.ts';
import { readManifest, sha256File } from '../backup/manifest.ts';
import { escapesRoot } from '../backup/manifest-check.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { type Journal, removeJournal } from './journal.ts';

export async function rollback(projectDir: string, backupDir: string, journal: Journal): Promise<string[]> {
  const manifest = readManifest(backupDir, journal.backupId);
  const restored: string[] = [];
  const escapes = journal.entries.flatMap((e) => {
    const why = escapesRoot(projectDir, e.path);
    return why ? [`${e.path}: ${why}`] : [];
  });
  if (escapes.length > 0)
    throw new TaskError(ErrorCode.backupCorrupt, `the migrate journal points outside ${projectDir}, so nothing was rolled back: ${escapes.join('; ')}`);
  for (const entry of journal.entries) {
    const target = path.join(projectDir, entry.path);
    // A crash between writing a temp file and renaming it leaves `.name.<pid>.tmp` beside the target.
    const prefix = `.${path.basename(entry.path)}.`;
    for (const f of readdirSync(path.dirname(target)))
      if (f.startsWith(prefix) && f.endsWith('.tmp')) rmSync(path.join(path.dirname(target), f), { force: true });
    if (!entry.existedBefore) {
      rmSync(target, { force: true });
      fsyncDir(path.dirname(target));
      restored.push(`removed ${entry.path}`);
      continue;
    }
    const saved = manifest.files.find((f) => f.path === entry.path);
    if (!saved) throw new TaskError(ErrorCode.backupCorrupt, `backup ${manifest.id} has no copy of ${entry.path}; restore it by hand from git`);
    writeFileAtomic(target, readFileSync(path.join(backupDir, manifest.id, 'files', entry.path)), isSecretFile(entry.path) ? 0o600 : saved.mode & 0o777);
    if ((await sha256File(target)) !== saved.sha256) throw new TaskError(ErrorCode.backupCorrupt, `${entry.path} does not match its backup after restoring`);
    restored.push(`restored ${entry.path}`);
    checkpoint(`rollback restored ${entry.path}`);
  }
  // Files the journal does not list were never touched; a missing one would mean someone deleted it meanwhile.
  for (const f of manifest.files)
    if (!existsSync(path.join(projectDir, f.path))) restored.push(`note: ${f.path} is missing now but was not changed by migrate`);
  removeJournal(backupDir);
  return restored;
}
