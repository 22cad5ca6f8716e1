/** The configuration files of a backup: which files a Docker set-up is made of, and copying them into a backup. */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkpoint } from './checkpoint.ts';
import { type FileEntry, newBackupId, sha256File } from './manifest.ts';

/** The files a Docker set-up is made of, at the top of the project folder. */
const CONFIG = [
  /^Dockerfile(\..+)?$/,
  /\.dockerfile$/i,
  /^(docker-)?compose[\w.-]*\.ya?ml$/,
  /^\.?[\w.-]*\.?dockerignore$/,
  /^(GNU)?[Mm]akefile$/,
  /^\.env(\..+)?$/,
  /^tasks\.config\.(ts|mjs|js)$/,
];

export function isSecretFile(rel: string): boolean {
  return /^\.env(\..+)?$/.test(path.basename(rel)) && !rel.endsWith('.env.example');
}

export function configFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => CONFIG.some((re) => re.test(f)) && statSync(path.join(dir, f)).isFile())
    .sort();
}

/** The backup folder, private (0700), with a .gitignore of its own so it never reaches git. */
export function prepareBackupDir(backupDir: string): void {
  mkdirSync(backupDir, { recursive: true, mode: 0o700 });
  const gitignore = path.join(backupDir, '.gitignore');
  if (!existsSync(gitignore)) writeFileSync(gitignore, '# Backups made by promtior-tasks: never committed.\n*\n');
}

/** A new backup's folder: `<backupDir>/<id>/files/`, the id from the run's time (suffixed when taken). */
export interface BackupFolder {
  id: string;
  /** Absolute path of `<backupDir>/<id>`. */
  dir: string;
}

export function startBackupFolder(backupDir: string, now: Date): BackupFolder {
  prepareBackupDir(backupDir);
  let id = newBackupId(now);
  for (let n = 1; existsSync(path.join(backupDir, id)); n++) id = `${newBackupId(now)}-${n}`;
  const dir = path.join(backupDir, id);
  mkdirSync(path.join(dir, 'files'), { recursive: true, mode: 0o700 });
  return { id, dir };
}

/** Copies each file into the backup's files/ (.env files mode 0600), hashing each copy. */
export async function copyFiles(projectDir: string, folder: BackupFolder, files: readonly string[]): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  for (const rel of files) {
    const src = path.join(projectDir, rel);
    const dest = path.join(folder.dir, 'files', rel);
    mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
    copyFileSync(src, dest);
    const mode = statSync(src).mode & 0o777;
    chmodSync(dest, isSecretFile(rel) ? 0o600 : mode);
    entries.push({ path: rel, size: statSync(dest).size, sha256: await sha256File(dest), mode });
    checkpoint(`backup copied ${rel}`);
  }
  return entries;
}
