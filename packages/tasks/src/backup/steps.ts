/**
 * A backup as plan steps: start the folder and copy the files, then for each volume its size, the tar streamed
 * into the folder (hashed while written) and its content listing, each a command the dry-run shows, then the
 * manifest, written last. Values pass between the steps as typed outputs; the helper containers carry a label of
 * this backup, and a teardown step removes any that outlived an interrupted run.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import { fromOutput, type Output, output } from '../model/data-flow.ts';
import { type ActionStep, action, type CmdOutcome, cmd, type Step } from '../model/steps.ts';
import { writeFileAtomic } from './atomic.ts';
import { checkpoint } from './checkpoint.ts';
import { type BackupFolder, copyFiles, startBackupFolder } from './files.ts';
import { type FileEntry, MANIFEST, type Manifest, type VolumeEntry, verifyBackup } from './manifest.ts';
import { bytesOf, contentOf, HELPER_LABEL, listingArgv, shown, sizeArgv, streamVolume, tarArgv, type VolumeIO } from './volumes.ts';

export interface BackupRequest {
  projectDir: string;
  backupDir: string;
  /** Recorded in the manifest as the task that made it. */
  task: string;
  project: string;
  files: readonly string[];
  /** Full volume names (`<project>_<name>`). */
  volumes: readonly string[];
  /** How to reach the volumes (the helper image chosen from the facts); required when there are any. */
  helper?: { dockerBin: string; image: string };
  /** uid:gid the tar files are handed to (the user running the task). */
  owner: string;
  /** The run's clock: the backup id and createdAt. */
  now: Date;
  engine?: Manifest['engine'];
  compose?: Manifest['compose'];
}

/** What the first step gives the others: the folder and the files copied into it. */
export interface StartedBackup extends BackupFolder {
  files: FileEntry[];
}

export interface BackupSteps {
  steps: Step[];
  /** The verified manifest, produced by the last step. */
  manifest: Output<Manifest>;
  started: Output<StartedBackup>;
}

export function backupSteps(req: BackupRequest): BackupSteps {
  const started = output<StartedBackup>('backup-folder');
  const manifest = output<Manifest>('backup');
  const steps: Step[] = [
    action(
      'start the backup',
      [
        `create ${req.backupDir}/<id>/ (mode 0700; the id is the time of the run), then copy ${req.files.length > 0 ? req.files.join(', ') : '(no Docker files found)'} into its files/ (.env files mode 0600), hashing each copy`,
      ],
      async () => {
        const folder = startBackupFolder(req.backupDir, req.now);
        return { ...folder, files: await copyFiles(req.projectDir, folder, req.files) };
      },
      { output: started },
    ),
  ];
  const entries: Output<VolumeEntry>[] = [];
  const io: VolumeIO | undefined = req.helper && {
    ...req.helper,
    cwd: req.projectDir,
    label: fromOutput(started, (f) => runLabel(req.project, f.id), `${runLabel(req.project, '<id>')}`),
  };
  if (req.volumes.length > 0) {
    if (!io) throw new TaskError(ErrorCode.dockerUnavailable, 'a volume backup needs the Docker engine and a helper image');
    for (const name of req.volumes) {
      const { steps: more, entry } = volumeSteps(io, name, req.backupDir, req.owner, started);
      steps.push(...more);
      entries.push(entry);
    }
  }
  steps.push(
    action(
      'write the manifest',
      [
        `write ${req.backupDir}/<id>/${MANIFEST} last (size, mode and sha256 of every file; each volume's tar sha256 and content listing hash), then re-hash the files against it`,
      ],
      async (rt) => {
        const { id, dir, files } = rt.get(started);
        const m: Manifest = {
          version: 1,
          id,
          createdAt: req.now.toISOString(),
          task: req.task,
          project: req.project,
          files,
          volumes: entries.map((e) => rt.get(e)),
          engine: req.engine,
          compose: req.compose,
        };
        // Written last and atomically: without it the folder is an incomplete backup.
        writeFileAtomic(path.join(dir, MANIFEST), `${JSON.stringify(m, null, 2)}\n`, 0o600);
        checkpoint('backup wrote its manifest');
        // A volume's sha256 was computed from its file as it was written; re-reading GBs would repeat it.
        const problems = await verifyBackup(req.backupDir, m, { volumes: false });
        if (problems.length > 0)
          throw new TaskError(
            ErrorCode.backupCorrupt,
            `the new backup ${id} does not verify: ${problems.join('; ')}. Check the disk; nothing else was changed.`,
          );
        return m;
      },
      { reads: [started, ...entries], output: manifest },
    ),
  );
  if (io && req.volumes.length > 0) steps.push(removeLeftoverHelpers(io, req.project, started));
  return { steps, manifest, started };
}

/** The label of this backup's helper containers. */
function runLabel(project: string, id: string): string {
  return `${HELPER_LABEL}=${project}.${id}`;
}

function volumeSteps(io: VolumeIO, name: string, backupDir: string, owner: string, started: Output<StartedBackup>) {
  const size = output<CmdOutcome>(`${name}-size`);
  const listing = output<CmdOutcome>(`${name}-listing`);
  const tar = output<{ size: number; sha256: string }>(`${name}-tar`);
  const entry = output<VolumeEntry>(`${name}-entry`);
  const file = `${name}.tar`;
  const outMount = fromOutput(started, (f) => `${path.join(f.dir, 'volumes')}:/out`, `${backupDir}/<id>/volumes:/out`);
  const tarArgs = tarArgv(io, name, outMount, file, owner);
  const steps: Step[] = [
    cmd(sizeArgv(io, name), { cwd: io.cwd, title: `size of ${name}`, output: size }),
    action(
      `stream volume ${name}`,
      [shown(tarArgs), `  (hash ${backupDir}/<id>/volumes/${file} while the container writes it: sha256 and size, memory flat)`],
      async (rt) => {
        const f = rt.get(started);
        mkdirSync(path.join(f.dir, 'volumes'), { recursive: true, mode: 0o700 });
        const argv = tarArgs.map((a) => (typeof a === 'string' ? a : a.render(f)));
        return streamVolume(rt, argv, path.join(f.dir, 'volumes', file), `volume ${name}`, bytesOf(rt.get(size).stdout));
      },
      { reads: [started, size], output: tar },
    ),
    cmd(listingArgv(io, name), { cwd: io.cwd, title: `content listing of ${name}`, output: listing }),
    action(
      `record volume ${name}`,
      [`record ${name}: the tar's size and sha256, and the sha256 of its content listing`],
      (rt) => {
        const content = contentOf(rt.get(listing).stdout);
        checkpoint(`backup streamed volume ${name}`);
        return { name, file: `volumes/${file}`, ...rt.get(tar), contentSha256: content.sha256, files: content.files };
      },
      { reads: [tar, listing], output: entry },
    ),
  ];
  return { steps, entry };
}

/**
 * Teardown: a helper container still there (the run was stopped before the docker client could stop it) is
 * removed. Runs always; does nothing when the backup never started.
 */
function removeLeftoverHelpers(io: VolumeIO, project: string, started: Output<StartedBackup>): ActionStep {
  const list = [io.dockerBin, 'ps', '-aq', '--filter', `label=${runLabel(project, '<id>')}`];
  return action(
    'remove leftover helper containers',
    [`${shown(list)}, then ${io.dockerBin} rm -f <each one listed>, if any`],
    async (rt) => {
      const f = rt.find(started);
      if (!f) return;
      const argv = [io.dockerBin, 'ps', '-aq', '--filter', `label=${runLabel(project, f.id)}`];
      const ids = (await rt.exec({ argv, cwd: rt.cwd }, { quiet: true })).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await rt.exec({ argv: [io.dockerBin, 'rm', '-f', ...ids], cwd: rt.cwd }, { quiet: true });
    },
    { always: true, reads: [started] },
  );
}
