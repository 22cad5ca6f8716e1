/** Making a backup: the project's Docker configuration files and, when asked, its named volumes; manifest last. */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import type { RunContext } from '../model/steps.ts';
import { writeFileAtomic } from './atomic.ts';
import { checkpoint } from './checkpoint.ts';
import { type FileEntry, MANIFEST, type Manifest, newBackupId, sha256File, type VolumeEntry, verifyBackup } from './manifest.ts';
import { backupVolume, contentHash, type VolumeIO } from './volumes.ts';

/** The files a Docker set-up is made of, at the top of the project folder. */
const CONFIG = [
  /^Dockerfile(\..+)?$/,
  /\.dockerfile$/i,
  /^(docker-)?compose[\w.-]*\.ya?ml$/,
  /^\.?[\w.-]*\.?dockerignore$/,
  /^(GNU)?[Mm]akefile$/,
  /^\.env(\..+)?$/,
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

export interface BackupRequest {
  projectDir: string;
  backupDir: string;
  task: string;
  project: string;
  files: readonly string[];
  volumes: readonly string[];
  volumeIO?: VolumeIO;
  engine?: Manifest['engine'];
  compose?: Manifest['compose'];
}

export async function createBackup(rt: RunContext, req: BackupRequest): Promise<Manifest> {
  prepareBackupDir(req.backupDir);
  let id = newBackupId();
  for (let n = 1; existsSync(path.join(req.backupDir, id)); n++) id = `${newBackupId()}-${n}`;
  const dir = path.join(req.backupDir, id);
  mkdirSync(path.join(dir, 'files'), { recursive: true, mode: 0o700 });
  const files: FileEntry[] = [];
  for (const rel of req.files) {
    const src = path.join(req.projectDir, rel);
    const dest = path.join(dir, 'files', rel);
    mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
    copyFileSync(src, dest);
    const mode = statSync(src).mode & 0o777;
    chmodSync(dest, isSecretFile(rel) ? 0o600 : mode);
    files.push({ path: rel, size: statSync(dest).size, sha256: await sha256File(dest), mode });
    checkpoint(`backup copied ${rel}`);
  }
  const volumes: VolumeEntry[] = [];
  if (req.volumes.length > 0) {
    if (!req.volumeIO) throw new TaskError(ErrorCode.dockerUnavailable, 'volume backup needs the Docker engine');
    mkdirSync(path.join(dir, 'volumes'), { mode: 0o700 });
    for (const name of req.volumes) {
      const file = path.join('volumes', `${name}.tar`);
      const { size, sha256 } = await backupVolume(rt, req.volumeIO, name, path.join(dir, file));
      const content = await contentHash(rt, req.volumeIO, name);
      volumes.push({ name, file, size, sha256, contentSha256: content.sha256, files: content.files });
      checkpoint(`backup streamed volume ${name}`);
    }
  }
  const manifest: Manifest = {
    version: 1,
    id,
    createdAt: new Date().toISOString(),
    task: req.task,
    project: req.project,
    files,
    volumes,
    engine: req.engine,
    compose: req.compose,
  };
  // The manifest is written last and atomically: without it the folder is an incomplete backup.
  writeFileAtomic(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
  checkpoint('backup wrote its manifest');
  // A volume's sha256 was just computed from its file on disk as it was written; re-reading GBs would repeat it.
  const problems = await verifyBackup(req.backupDir, manifest, { volumes: false });
  if (problems.length > 0)
    throw new TaskError(ErrorCode.backupCorrupt, `the new backup ${id} does not verify: ${problems.join('; ')}. Check the disk; nothing else was changed.`);
  return manifest;
}
