/** Test helper: a repo folder made of the given files, read as migrate reads it. */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RepoFiles, readRepo } from '../read/repo.ts';

export function repoDir(files: Record<string, string>, name = 'shop'): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'carry-'))), name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function repoOf(files: Record<string, string>): RepoFiles {
  return readRepo(repoDir(files));
}
