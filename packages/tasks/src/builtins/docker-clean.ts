import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import { output } from '../model/data-flow.ts';
import { action, type CmdOutcome, call, cmd } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { checkCompose, composeCmd, composeEnv, composeFor } from '../workflow/docker-plan.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { readWorkflowValues } from '../workflow/env.ts';
import { configuredImages } from '../workflow/images.ts';
import { resolveProject } from '../workflow/project.ts';
import { removeSecretFiles, secretFileStandIns, secretsDir } from '../workflow/secret-files.ts';
import { backup } from './backup.ts';
import { PROJECT_LABEL } from './docker-build.ts';
import { DEV_COMPOSE, FULL_COMPOSE } from './docker-run.ts';

export const dockerClean = defineTask({
  name: 'docker-clean',
  group: 'docker',
  description: "Remove this project's containers, networks, images and secret files; named volumes stay unless --volumes (never a system-wide prune)",
  options: z.object({
    volumes: z.boolean().default(false).describe('also remove the named volumes (Ollama models, app data); needs --yes'),
    backup: z.boolean().default(true).describe('with --volumes: take and verify a volume backup first (--no-backup skips it)'),
    composeFile: z
      .array(z.string().meta({ path: true }))
      .optional()
      .describe('compose files, in order (repeatable; default: tasks.config.ts composeFiles.dev, else full + dev)'),
  }),
  needs: ['docker', 'compose', 'user'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const values = readWorkflowValues(ctx, project.dir);
    const bin = facts.docker.bin;
    // `stop` and `down` need the files to interpolate, nothing more: the images named do not matter, and the
    // required admin key (and its file) get stand-ins: the real one is not needed to remove anything.
    const compose = composeFor(ctx, facts.compose, bin, project, {
      files: opts.composeFile ?? ctx.config.composeFiles?.dev ?? [FULL_COMPOSE, DEV_COMPOSE],
      env: composeEnv(configuredImages(values), values, { ADMIN_REINGEST_KEY: 'unused-by-down' }),
    });
    Object.assign(compose.env, secretFileStandIns(compose.project.files[0] ?? project.dir));
    const label = `label=${PROJECT_LABEL}=${project.name}`;
    const listed = output<CmdOutcome>('project-images');
    return [
      requireEngine(facts.docker),
      checkCompose(compose),
      // Known while planning: without --yes the run stops here, before anything is touched.
      ...(opts.volumes && !ctx.yes ? [refuseVolumes(project.name)] : []),
      // A volume is removed only after its backup verified: a failed backup stops the run here, volumes intact.
      ...(opts.volumes && opts.backup ? [composeCmd(compose, ['stop', '--timeout', '5']), call(backup, { volumes: true, by: 'docker-clean' })] : []),
      composeCmd(compose, ['down', '--remove-orphans', '--timeout', '5', ...(opts.volumes ? ['--volumes'] : [])]),
      // The secret files docker-run and docker-dev wrote (the containers that mounted them are gone now).
      removeSecretFiles(secretsDir(project, facts.user, ctx.env), project.dir),
      cmd([bin, 'image', 'ls', '-q', '--filter', label], { cwd: project.dir, output: listed }),
      action(
        'remove the images this project built',
        [`${bin} image rm --force <each image listed above>, unless there are none`],
        async (rt) => {
          const ids = [...new Set(rt.get(listed).stdout.split('\n').filter(Boolean))];
          if (ids.length === 0) return rt.log('no images of this project to remove');
          await rt.exec({ argv: [bin, 'image', 'rm', '--force', ...ids], cwd: project.dir });
          rt.log(`removed ${ids.length} image${ids.length > 1 ? 's' : ''} labelled ${PROJECT_LABEL}=${project.name}`);
        },
        { reads: [listed] },
      ),
    ];
  },
});

function refuseVolumes(project: string) {
  return action('refuse to remove volumes without --yes', [`stop: --volumes removes the named volumes of ${project} and needs --yes`], () => {
    throw new TaskError(
      ErrorCode.confirmationNeeded,
      `--volumes removes the named volumes of project ${project} (Ollama models, app data) for good. Fix: add --yes to confirm, or drop --volumes to keep them.`,
    );
  });
}
