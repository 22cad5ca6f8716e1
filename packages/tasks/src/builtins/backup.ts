import { z } from 'zod';
import { configFiles, createBackup } from '../backup/create.ts';
import { listBackups, readManifest, verifyBackup } from '../backup/manifest.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { action, type Step } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { backupDirOf, projectVolumes, volumeIO } from '../workflow/backup-context.ts';
import { requireEngine } from '../workflow/docker-plan.ts';
import { readWorkflowValues } from '../workflow/env.ts';
import { resolveProject } from '../workflow/project.ts';
import { DEFAULT_IMAGE } from './docker-build.ts';

export const backup = defineTask({
  name: 'backup',
  group: 'data',
  description: 'Back up the Docker configuration files (.env kept private) and, with --volumes, the named volumes into .backups/<id>/',
  options: z.object({
    volumes: z.boolean().default(false).describe('also back up the named volumes (streamed through a throwaway container)'),
    dir: z.string().default('.backups').describe('where backups are written, relative to the project'),
    list: z.boolean().default(false).describe('list the complete backups'),
    verify: z.string().min(1, 'a backup id (see task backup --list)').optional().describe('re-hash backup ID against its manifest; exit 1 on any mismatch'),
    by: z.string().default('backup').describe('the task recorded in the manifest as having made the backup'),
  }),
  examples: ['task backup', 'task backup --volumes', 'task backup --list', 'task backup --verify 20261127T031500Z'],
  needs: ['docker', 'compose'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const backupDir = backupDirOf(project, opts.dir);
    if (opts.list) {
      return [
        action('list backups', [`list the complete backups in ${backupDir}`], async (rt) => {
          const all = listBackups(backupDir);
          if (all.length === 0) rt.log(`no backups in ${backupDir}`);
          for (const { id, manifest: m, problem } of all) {
            if (!m) {
              rt.log(`${id}  CORRUPT: manifest.json ${problem}`);
              continue;
            }
            const bytes = [...m.files, ...m.volumes].reduce((n, e) => n + e.size, 0);
            rt.log(
              `${m.id}  by ${m.task}  ${m.files.length} files${m.volumes.length > 0 ? `, volumes ${m.volumes.map((v) => v.name).join(', ')}` : ''}  ${(bytes / 1e6).toFixed(1)} MB`,
            );
          }
        }),
      ];
    }
    if (opts.verify) {
      const id = opts.verify;
      return [
        action('verify backup', [`re-hash every file of ${backupDir}/${id} against its manifest`], async (rt) => {
          const m = readManifest(backupDir, id);
          const problems = await verifyBackup(backupDir, m);
          if (problems.length > 0)
            throw new TaskError(
              ErrorCode.backupCorrupt,
              `backup ${id} does not verify: ${problems.join('; ')}. Do not restore from it; take a new backup if the originals still exist.`,
            );
          rt.log(`backup ${id} verifies: ${m.files.length} files and ${m.volumes.length} volumes match their sha256`);
        }),
      ];
    }
    const files = configFiles(project.dir);
    const setup = { bin: facts.docker.bin };
    const daemon = facts.docker.daemon;
    const engine = daemon.ok ? { version: daemon.version, api: daemon.api } : { version: 'unknown', api: 'unknown' };
    const values = readWorkflowValues(ctx, project.dir);
    const steps: Step[] = opts.volumes ? [requireEngine(facts.docker)] : [];
    steps.push(
      action(
        'back up',
        [
          `copy ${files.length > 0 ? files.join(', ') : '(no Docker files found)'} into ${backupDir}/<id>/files (.env files mode 0600)`,
          ...(opts.volumes ? [`stream each named volume of project ${project.name} into ${backupDir}/<id>/volumes/<name>.tar`] : []),
          'write the manifest (sha256 of everything) and verify it',
        ],
        async (rt) => {
          const all = opts.volumes ? await projectVolumes(rt, setup, project) : [];
          // tasks.config.ts `volumes` names them as the compose file does; compose prefixes the project name.
          const wanted = ctx.config.volumes?.map((v) => `${project.name}_${v}`);
          const volumes = wanted ? all.filter((v) => wanted.includes(v)) : all;
          if (opts.volumes && volumes.length === 0) rt.log(`project ${project.name} has no named volumes yet (start it once with task docker-run)`);
          const compose = facts.compose;
          const m = await createBackup(rt, {
            projectDir: project.dir,
            backupDir,
            task: opts.by,
            project: project.name,
            files,
            volumes,
            volumeIO: volumes.length > 0 ? await volumeIO(rt, setup, project, DEFAULT_IMAGE, values.PYTHON_IMAGE ?? '') : undefined,
            engine: opts.volumes ? engine : undefined,
            compose: compose ? { kind: compose.kind, version: compose.version } : undefined,
          });
          rt.log(
            `backup ${m.id}: ${m.files.length} files${m.volumes.length > 0 ? ` and ${m.volumes.length} volumes (${m.volumes.map((v) => v.name).join(', ')})` : ''}, verified, in ${backupDir}/${m.id}`,
          );
        },
      ),
    );
    return steps;
  },
});
