import { z } from 'zod';
import { helperCandidates, helperImageOf, noHelperImage } from '../backup/helper-image.ts';
import { lockSteps } from '../backup/lock-steps.ts';
import { readManifest } from '../backup/manifest.ts';
import { restoreFilesStep, restoreVolumeSteps, verifyStep } from '../backup/restore-steps.ts';
import { action, type Step } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { backupDirOf } from '../workflow/backup-context.ts';
import { requireEngine } from '../workflow/engine-check.ts';
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
  needs: ['docker', 'images'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const backupDir = backupDirOf(project, opts.dir);
    const both = !opts.files && !opts.volumes;
    // Read while planning: the volumes it holds decide the commands; a missing or crafted manifest stops here.
    const manifest = readManifest(backupDir, opts.id);
    const volumes = (opts.volumes || both) && manifest.volumes.length > 0;
    const steps: Step[] = [];
    let helper: { dockerBin: string; image: string } | undefined;
    if (volumes) {
      steps.push(requireEngine(facts.docker));
      const candidates = helperCandidates(ctx.config.image ?? DEFAULT_IMAGE, readWorkflowValues(ctx, project.dir).PYTHON_IMAGE);
      const image = helperImageOf(facts.images, candidates);
      if (image) helper = { dockerBin: facts.docker.bin, image };
      else steps.push(noHelperImage(candidates));
    }
    const lock = lockSteps(project.dir, backupDir, 'restore');
    steps.push(lock.take, verifyStep(backupDir, manifest));
    if (opts.files || both) steps.push(restoreFilesStep(project.dir, backupDir, manifest));
    if (opts.volumes && manifest.volumes.length === 0)
      steps.push(
        action('no volumes', [`backup ${manifest.id} holds no volumes`], (rt) => rt.log(`backup ${manifest.id} holds no volumes: nothing to restore`)),
      );
    if (volumes && helper) {
      steps.push(...restoreVolumeSteps({ projectDir: project.dir, backupDir, manifest, helper, project: project.name }));
    }
    steps.push(lock.release);
    return steps;
  },
});
