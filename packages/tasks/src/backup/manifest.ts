/**
 * A backup is a folder `.backups/<id>/` with `manifest.json`, written last: a folder without a manifest is an
 * incomplete backup (a crash or a failure) and is never listed or restored from.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import { escapesRoot, manifestProblems } from './manifest-check.ts';

export interface FileEntry {
  /** Path relative to the repo, also its place under `files/` in the backup. */
  path: string;
  size: number;
  sha256: string;
  mode: number;
}

export interface VolumeEntry {
  name: string;
  /** The tar stream, relative to the backup folder. */
  file: string;
  size: number;
  sha256: string;
  /** sha256 of the volume's sorted `sha256sum` listing, to verify a restore by content. */
  contentSha256: string;
  files: number;
}

export interface Manifest {
  version: 1;
  id: string;
  createdAt: string;
  /** The task that made it (backup, migrate, docker-clean). */
  task: string;
  project: string;
  files: FileEntry[];
  volumes: VolumeEntry[];
  engine?: { version: string; api: string };
  compose?: { kind: string; version: string };
}

export const MANIFEST = 'manifest.json';

export function newBackupId(now = new Date()): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export function readManifest(backupDir: string, id: string): Manifest {
  const file = path.join(backupDir, id, MANIFEST);
  if (!/^[\w.-]+$/.test(id) || !existsSync(file)) {
    const known = listBackups(backupDir)
      .filter((b) => b.manifest)
      .map((b) => b.id);
    const shown = JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}...` : id);
    throw new TaskError(
      ErrorCode.backupMissing,
      `no complete backup ${shown} in ${backupDir}${known.length > 0 ? `; there are: ${known.slice(-5).join(', ')}` : ' (there are none)'}. \`task backup --list\` shows them all.`,
    );
  }
  const read = loadManifest(backupDir, id);
  if (read.problem) {
    throw new TaskError(
      ErrorCode.backupCorrupt,
      `backup ${id} cannot be used: ${file} ${read.problem}. Nothing was changed. Do not restore from it; take a new backup if the originals still exist.`,
    );
  }
  return read.manifest as Manifest;
}

/** A backup folder as found: its manifest, or why it cannot be used (unreadable, not JSON, unsafe). */
export interface ListedBackup {
  id: string;
  manifest?: Manifest;
  problem?: string;
}

function loadManifest(backupDir: string, id: string): ListedBackup {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(backupDir, id, MANIFEST), 'utf8'));
  } catch (error) {
    return {
      id,
      problem:
        error instanceof SyntaxError ? 'is not valid JSON (corrupt or cut short)' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  const problems = manifestProblems(raw, id);
  if (problems.length > 0) return { id, problem: `is not a manifest this tool wrote: ${problems.join('; ')}` };
  return { id, manifest: raw as Manifest };
}

/** Every folder with a manifest, oldest first; a corrupt one is listed with its problem, never hides the others. */
export function listBackups(backupDir: string): ListedBackup[] {
  if (!existsSync(backupDir)) return [];
  return readdirSync(backupDir)
    .filter((id) => /^[\w.-]+$/.test(id) && existsSync(path.join(backupDir, id, MANIFEST)))
    .sort()
    .map((id) => loadManifest(backupDir, id));
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => hash.update(d))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Re-hashes every file and volume stream of a backup; returns what does not match (empty: all good). */
export async function verifyBackup(backupDir: string, m: Manifest, opts: { volumes?: boolean } = {}): Promise<string[]> {
  const problems: string[] = [];
  const root = path.join(backupDir, m.id);
  const check = async (rel: string, sha: string, what: string) => {
    const file = path.join(root, rel);
    const outside = escapesRoot(root, rel);
    if (outside) problems.push(`${what}: ${rel}: ${outside}`);
    else if (!existsSync(file)) problems.push(`${what}: ${rel} is missing`);
    else if (!lstatSync(file).isFile()) problems.push(`${what}: ${rel} is not a regular file (a symlink or a folder)`);
    else if ((await sha256File(file)) !== sha) problems.push(`${what}: ${rel} does not match its sha256 (changed or corrupted)`);
  };
  for (const f of m.files) await check(path.join('files', f.path), f.sha256, 'file');
  if (opts.volumes !== false) for (const v of m.volumes) await check(v.file, v.sha256, `volume ${v.name}`);
  return problems;
}
