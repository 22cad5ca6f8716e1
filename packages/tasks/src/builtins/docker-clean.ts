import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import { action, cmd } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { DEV_COMPOSE, FULL_COMPOSE, projectName } from '../workflow/defaults.ts';
import { composeArgv, composeFor, dockerSetup } from '../workflow/docker-plan.ts';

export const dockerClean = defineTask({
  name: 'docker-clean',
  group: 'docker',
  description: "Remove this project's containers, networks and images; named volumes stay unless --volumes (never a system-wide prune)",
  options: z.object({
    volumes: z.boolean().default(false).describe('also remove the named volumes (Ollama models, app data); needs --yes outside a terminal'),
    composeFile: z.array(z.string()).default([FULL_COMPOSE, DEV_COMPOSE]).describe('compose files, in order (repeatable)'),
  }),
  run: async (opts, ctx) => {
    const setup = await dockerSetup(ctx);
    const compose = await composeFor(ctx, setup);
    const project = { files: opts.composeFile, projectName: projectName(ctx.cwd), envFiles: ctx.envFiles };
    const guard = action('confirm volume removal', ['refuse to remove named volumes without --yes'], async () => {
      if (!ctx.yes) {
        throw new TaskError(
          ErrorCode.confirmationNeeded,
          `--volumes removes the named volumes of project ${project.projectName} (Ollama models, app data) for good. Fix: add --yes to confirm, or drop --volumes to keep them.`,
        );
      }
    });
    return [
      ...(opts.volumes ? [guard] : []),
      cmd(composeArgv(compose, project, ['down', '--rmi', 'local', '--remove-orphans', ...(opts.volumes ? ['--volumes'] : [])]), { cwd: ctx.cwd }),
    ];
  },
});
