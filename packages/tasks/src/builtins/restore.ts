import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../backup/atomic.ts';
import { isSecretFile } from '../backup/create.ts';
import { acquireLock } from '../backup/lock.ts';
import { readManifest, sha256File, verifyBackup } from '../backup/manifest.ts';
import { escapesRoot } from '../backup/manifest-check.ts';
import { contentHash, restoreVolume } from '../backup/volumes.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { action, type Step } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { backupDirOf, volumeIO } from '../workflow/backup-context.ts';
import { requireEngine } from '../workflow/docker-plan.ts';
import { readWorkflowValues } from '../workflow/env.ts';
import { resolveProject } from '../workflow/project.ts';
import { DEFAULT_IMAGE } from './docker-build.ts';

export const restore = defineTask({
  name: 'restore',
  group: 'data',
  description: 'Restore files and/or volumes from a backup, checking the backup first and the result by hash after',
  positional: ['id'],
  options: z.object({
    id: z.string().describe('backup id (see task backup --list)'),
    files: z.boolean().default(false).describe('restore the configuration files'),
    volumes: z.boolean().default(false).describe('restore the named volumes (stop the stack first)'),
    dir: z.string().default('.backups').describe('where backups are, relative to the project'),
  }),
  examples: ['task restore 20261127T031500Z', 'task restore 20261127T031500Z --volumes'],
  needs: ['docker'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const backupDir = backupDirOf(project, opts.dir);
    const both = !opts.files && !opts.volumes;
    const setup = { bin: facts.docker.bin };
    const values = readWorkflowValues(ctx, project.dir);
    const steps: Step[] = opts.volumes || both ? [requireEngine(facts.docker)] : [];
    steps.push(
      action(
        'restore',
        [
          `verify backup ${opts.id}, then restore its ${both ? 'files and volumes' : opts.files ? 'files' : 'volumes'} into ${project.dir}, then check the result by hash`,
        ],
        async (rt) => {
          const m = readManifest(backupDir, opts.id);
          const lock = acquireLock(backupDir, 'restore');
          try {
            const problems = await verifyBackup(backupDir, m);
            if (problems.length > 0)
              throw new TaskError(ErrorCode.backupCorrupt, `backup ${m.id} does not verify, so nothing was restored: ${problems.join('; ')}`);
            if (opts.files || both) {
              const escapes = m.files.flatMap((f) => {
                const why = escapesRoot(project.dir, f.path);
                return why ? [`${f.path}: ${why}`] : [];
              });
              if (escapes.length > 0)
                throw new TaskError(
                  ErrorCode.backupCorrupt,
                  `backup ${m.id} would write outside ${project.dir}, so nothing was restored: ${escapes.join('; ')}`,
                );
              for (const f of m.files) {
                const data = readFileSync(path.join(backupDir, m.id, 'files', f.path));
                writeFileAtomic(path.join(project.dir, f.path), data, isSecretFile(f.path) ? 0o600 : f.mode & 0o777);
              }
              const wrong = [];
              for (const f of m.files) if ((await sha256File(path.join(project.dir, f.path))) !== f.sha256) wrong.push(f.path);
              if (wrong.length > 0) throw new TaskError(ErrorCode.backupCorrupt, `restored files do not match the backup: ${wrong.join(', ')}`);
              rt.log(`restored ${m.files.length} files; each matches its sha256`);
            }
            if ((opts.volumes || both) && m.volumes.length > 0) {
              const io = await volumeIO(rt, setup, project, DEFAULT_IMAGE, values.PYTHON_IMAGE ?? '');
              for (const v of m.volumes) {
                const users = (
                  await rt.exec({ argv: [setup.bin, 'ps', '-q', '--filter', `volume=${v.name}`], cwd: project.dir }, { quiet: true })
                ).stdout.trim();
                if (users)
                  throw new TaskError(
                    ErrorCode.checkFailed,
                    `volume ${v.name} is in use by a running container; stop the stack first (task docker-clean keeps volumes), then restore.`,
                  );
                await restoreVolume(rt, io, v.name, path.join(backupDir, m.id, v.file));
                const content = await contentHash(rt, io, v.name);
                if (content.sha256 !== v.contentSha256)
                  throw new TaskError(ErrorCode.backupCorrupt, `volume ${v.name} after restore does not match the backup's content listing`);
                rt.log(`restored volume ${v.name}: ${content.files} files, content matches the backup`);
              }
            }
          } finally {
            lock.release();
          }
        },
      ),
    );
    return steps;
  },
});
