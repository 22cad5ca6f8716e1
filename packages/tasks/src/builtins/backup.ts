import { z } from 'zod';
import { configFiles } from '../backup/files.ts';
import { helperCandidates, helperImageOf, noHelperImage } from '../backup/helper-image.ts';
import { listBackups, readManifest, verifyBackup } from '../backup/manifest.ts';
import { backupSteps } from '../backup/steps.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { projectVolumes } from '../facts/volumes.ts';
import { action, type Step } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { backupDirOf } from '../workflow/backup-context.ts';
import { requireEngine } from '../workflow/engine-check.ts';
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
  needs: ['docker', 'compose', 'images', 'volumes', 'clock', 'user'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const backupDir = backupDirOf(project, opts.dir);
    if (opts.list) return [listStep(backupDir)];
    if (opts.verify) return [verifyStep(backupDir, opts.verify)];
    const daemon = facts.docker.daemon;
    const steps: Step[] = [];
    let helper: { dockerBin: string; image: string } | undefined;
    let volumes: string[] = [];
    if (opts.volumes) {
      steps.push(requireEngine(facts.docker));
      // tasks.config.ts `volumes` names them as the compose file does; compose prefixes the project name.
      const wanted = ctx.config.volumes?.map((v) => `${project.name}_${v}`);
      volumes = projectVolumes(facts.volumes, project.name).filter((v) => !wanted || wanted.includes(v));
      const candidates = helperCandidates(ctx.config.image ?? DEFAULT_IMAGE, readWorkflowValues(ctx, project.dir).PYTHON_IMAGE);
      const image = helperImageOf(facts.images, candidates);
      if (volumes.length > 0 && !image) steps.push(noHelperImage(candidates));
      helper = image ? { dockerBin: facts.docker.bin, image } : undefined;
      if (volumes.length === 0)
        steps.push(
          action('no volumes', [`project ${project.name} has no named volumes yet`], (rt) =>
            rt.log(`project ${project.name} has no named volumes yet (start it once with task docker-run)`),
          ),
        );
    }
    const planned = backupSteps({
      projectDir: project.dir,
      backupDir,
      task: opts.by,
      project: project.name,
      files: configFiles(project.dir),
      volumes: helper ? volumes : [],
      helper,
      owner: `${facts.user.uid}:${facts.user.gid}`,
      now: facts.clock.now,
      engine: opts.volumes ? (daemon.ok ? { version: daemon.version, api: daemon.api } : { version: 'unknown', api: 'unknown' }) : undefined,
      compose: facts.compose ? { kind: facts.compose.kind, version: facts.compose.version } : undefined,
    });
    steps.push(
      ...planned.steps,
      action(
        'report',
        ['say what was backed up and where'],
        (rt) => {
          const m = rt.get(planned.manifest);
          rt.log(
            `backup ${m.id}: ${m.files.length} files${m.volumes.length > 0 ? ` and ${m.volumes.length} volumes (${m.volumes.map((v) => v.name).join(', ')})` : ''}, verified, in ${backupDir}/${m.id}`,
          );
        },
        { reads: [planned.manifest] },
      ),
    );
    return steps;
  },
});

function listStep(backupDir: string) {
  return action('list backups', [`read the manifest of every backup in ${backupDir} and list them (a corrupt one as CORRUPT)`], (rt) => {
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
  });
}

function verifyStep(backupDir: string, id: string) {
  return action('verify backup', [`re-hash every file of ${backupDir}/${id} against its manifest`], async (rt) => {
    const m = readManifest(backupDir, id);
    const problems = await verifyBackup(backupDir, m);
    if (problems.length > 0)
      throw new TaskError(
        ErrorCode.backupCorrupt,
        `backup ${id} does not verify: ${problems.join('; ')}. Do not restore from it; take a new backup if the originals still exist.`,
      );
    rt.log(`backup ${id} verifies: ${m.files.length} files and ${m.volumes.length} volumes match their sha256`);
  });
}
