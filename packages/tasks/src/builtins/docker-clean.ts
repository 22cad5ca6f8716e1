import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import { action, call } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { checkCompose, composeCmd, composeEnv, composeFor, dockerSetup, requireEngine } from '../workflow/docker-plan.ts';
import { readWorkflowValues } from '../workflow/env.ts';
import { chooseImages } from '../workflow/images.ts';
import { resolveProject } from '../workflow/project.ts';
import { backup } from './backup.ts';
import { PROJECT_LABEL } from './docker-build.ts';
import { DEV_COMPOSE, FULL_COMPOSE } from './docker-run.ts';

export const dockerClean = defineTask({
  name: 'docker-clean',
  group: 'docker',
  description: "Remove this project's containers, networks and images; named volumes stay unless --volumes (never a system-wide prune)",
  options: z.object({
    volumes: z.boolean().default(false).describe('also remove the named volumes (Ollama models, app data); needs --yes outside a terminal'),
    backup: z.boolean().default(true).describe('with --volumes: take and verify a volume backup first (--no-backup skips it)'),
    composeFile: z.array(z.string()).optional().describe('compose files, in order (repeatable; default: tasks.config.ts composeFiles.dev, else full + dev)'),
  }),
  run: async (opts, ctx) => {
    const project = resolveProject(ctx);
    const values = readWorkflowValues(ctx, project.dir);
    const setup = await dockerSetup(ctx);
    const choice = await chooseImages('auto', values, setup.bin, ctx.cwd);
    // `down` needs the file to interpolate; the admin key is not needed to remove anything.
    const compose = await composeFor(
      ctx,
      setup,
      project,
      opts.composeFile ?? ctx.config.composeFiles?.dev ?? [FULL_COMPOSE, DEV_COMPOSE],
      composeEnv(choice.images, values, { ADMIN_REINGEST_KEY: values.ADMIN_REINGEST_KEY ?? 'unused-by-down' }),
    );
    const guard = action('confirm volume removal', [`refuse to remove the named volumes of ${project.name} without --yes`], async () => {
      if (!ctx.yes) {
        throw new TaskError(
          ErrorCode.confirmationNeeded,
          `--volumes removes the named volumes of project ${project.name} (Ollama models, app data) for good. Fix: add --yes to confirm, or drop --volumes to keep them.`,
        );
      }
    });
    const label = `label=${PROJECT_LABEL}=${project.name}`;
    return [
      requireEngine(setup),
      checkCompose(compose),
      ...(opts.volumes ? [guard] : []),
      // A volume is removed only after its backup verified: a failed backup stops the run here, volumes intact.
      ...(opts.volumes && opts.backup ? [composeCmd(compose, ['stop', '--timeout', '5']), call(backup, { volumes: true, by: 'docker-clean' })] : []),
      composeCmd(compose, ['down', '--remove-orphans', '--timeout', '5', ...(opts.volumes ? ['--volumes'] : [])]),
      action('remove the images this project built', [`${setup.bin} image rm $(${setup.bin} image ls -q --filter ${label})`], async (rt) => {
        const ids = [
          ...new Set(
            (await rt.exec({ argv: [setup.bin, 'image', 'ls', '-q', '--filter', label], cwd: project.dir }, { quiet: true })).stdout
              .split('\n')
              .filter(Boolean),
          ),
        ];
        if (ids.length === 0) return rt.log('no images of this project to remove');
        await rt.exec({ argv: [setup.bin, 'image', 'rm', '--force', ...ids], cwd: project.dir });
        rt.log(`removed ${ids.length} image${ids.length > 1 ? 's' : ''} labelled ${PROJECT_LABEL}=${project.name}`);
      }),
    ];
  },
});
