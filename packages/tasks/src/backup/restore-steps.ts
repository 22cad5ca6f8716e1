/**
 * A restore as plan steps. The manifest is read while planning (a missing or crafted one stops the plan with the
 * reason), so every volume's commands are known and shown by --dry-run; the run re-reads it, checks that it is the
 * one planned, and re-hashes the whole backup before anything is written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import { output } from '../model/data-flow.ts';
import { action, type CmdOutcome, cmd, type Step } from '../model/steps.ts';
import { writeFileAtomic } from './atomic.ts';
import { isSecretFile } from './files.ts';
import { type Manifest, readManifest, sha256File, verifyBackup } from './manifest.ts';
import { escapesRoot } from './manifest-check.ts';
import { contentOf, HELPER_LABEL, listingArgv, shown, untarArgv, type VolumeIO } from './volumes.ts';

export interface RestoreRequest {
  projectDir: string;
  backupDir: string;
  manifest: Manifest;
  helper: { dockerBin: string; image: string };
  project: string;
}

export function verifyStep(backupDir: string, planned: Manifest) {
  return action('verify the backup', [`re-read ${planned.id}/manifest.json and re-hash every file and volume tar of the backup against it`], async (rt) => {
    const m = readManifest(backupDir, planned.id);
    if (JSON.stringify(m) !== JSON.stringify(planned))
      throw new TaskError(ErrorCode.backupCorrupt, `backup ${m.id} changed since the restore was planned, so nothing was restored. Run the restore again.`);
    const problems = await verifyBackup(backupDir, m);
    if (problems.length > 0) throw new TaskError(ErrorCode.backupCorrupt, `backup ${m.id} does not verify, so nothing was restored: ${problems.join('; ')}`);
    rt.log(`backup ${m.id} verifies: ${m.files.length} files and ${m.volumes.length} volumes match their sha256`);
  });
}

export function restoreFilesStep(projectDir: string, backupDir: string, m: Manifest) {
  return action(
    'restore the files',
    [
      `write ${m.files.map((f) => f.path).join(', ') || '(no files)'} into ${projectDir} atomically (.env files mode 0600), then re-hash each against the manifest`,
    ],
    async (rt) => {
      const escapes = m.files.flatMap((f) => {
        const why = escapesRoot(projectDir, f.path);
        return why ? [`${f.path}: ${why}`] : [];
      });
      if (escapes.length > 0)
        throw new TaskError(ErrorCode.backupCorrupt, `backup ${m.id} would write outside ${projectDir}, so nothing was restored: ${escapes.join('; ')}`);
      for (const f of m.files) {
        const data = readFileSync(path.join(backupDir, m.id, 'files', f.path));
        writeFileAtomic(path.join(projectDir, f.path), data, isSecretFile(f.path) ? 0o600 : f.mode & 0o777);
      }
      const wrong = [];
      for (const f of m.files) if ((await sha256File(path.join(projectDir, f.path))) !== f.sha256) wrong.push(f.path);
      if (wrong.length > 0) throw new TaskError(ErrorCode.backupCorrupt, `restored files do not match the backup: ${wrong.join(', ')}`);
      rt.log(`restored ${m.files.length} files; each matches its sha256`);
    },
  );
}

/** For each volume: refuse when a running container uses it, untar, then check the content listing by hash. */
export function restoreVolumeSteps(req: RestoreRequest): Step[] {
  const m = req.manifest;
  const label = `${HELPER_LABEL}=${req.project}.restore-${m.id}`;
  const io: VolumeIO = { ...req.helper, cwd: req.projectDir, label };
  const steps: Step[] = [];
  for (const v of m.volumes) {
    const users = output<CmdOutcome>(`${v.name}-users`);
    const listing = output<CmdOutcome>(`${v.name}-listing`);
    steps.push(
      cmd([io.dockerBin, 'ps', '-q', '--filter', `volume=${v.name}`], { cwd: req.projectDir, title: `containers using ${v.name}`, output: users }),
      action(
        `check ${v.name} is free`,
        [`stop if a running container uses ${v.name}`],
        (rt) => {
          if (rt.get(users).stdout.trim())
            throw new TaskError(
              ErrorCode.checkFailed,
              `volume ${v.name} is in use by a running container; stop the stack first (task docker-clean keeps volumes), then restore.`,
            );
        },
        { reads: [users] },
      ),
      cmd(untarArgv(io, v.name, `${path.join(req.backupDir, m.id, 'volumes')}:/in:ro`, path.basename(v.file)), {
        cwd: req.projectDir,
        title: `restore ${v.name}`,
      }),
      cmd(listingArgv(io, v.name), { cwd: req.projectDir, title: `content listing of ${v.name}`, output: listing }),
      action(
        `check ${v.name}`,
        [`compare the sha256 of ${v.name}'s content listing with the manifest's`],
        (rt) => {
          const content = contentOf(rt.get(listing).stdout);
          if (content.sha256 !== v.contentSha256)
            throw new TaskError(ErrorCode.backupCorrupt, `volume ${v.name} after restore does not match the backup's content listing`);
          rt.log(`restored volume ${v.name}: ${content.files} files, content matches the backup`);
        },
        { reads: [listing] },
      ),
    );
  }
  const leftovers = output<CmdOutcome>('leftover-helpers');
  const list = [io.dockerBin, 'ps', '-aq', '--filter', `label=${label}`];
  steps.push(
    cmd(list, { cwd: req.projectDir, always: true, title: 'leftover helper containers', output: leftovers }),
    action(
      'remove leftover helper containers',
      [`${io.dockerBin} rm -f <each container listed by \`${shown(list)}\`>, if any`],
      async (rt) => {
        const ids = (rt.find(leftovers)?.stdout ?? '').split('\n').filter(Boolean);
        if (ids.length > 0) await rt.exec({ argv: [io.dockerBin, 'rm', '-f', ...ids], cwd: req.projectDir }, { quiet: true });
      },
      { always: true, reads: [leftovers] },
    ),
  );
  return steps;
}
