import { z } from 'zod';
import { call, cmd } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { DEV_COMPOSE, FULL_COMPOSE, projectName } from '../workflow/defaults.ts';
import { composeArgv, composeFor, dockerSetup } from '../workflow/docker-plan.ts';
import { dockerBuild } from './docker-build.ts';

export const dockerDev = defineTask({
  name: 'docker-dev',
  group: 'docker',
  description: 'Build the development image and run the stack with the dev override in the foreground (hot reload, debug port 9229)',
  options: z.object({
    composeFile: z.array(z.string()).default([FULL_COMPOSE, DEV_COMPOSE]).describe('compose files, in order (repeatable)'),
  }),
  run: async (opts, ctx) => {
    const setup = await dockerSetup(ctx);
    const compose = await composeFor(ctx, setup);
    const project = { files: opts.composeFile, projectName: projectName(ctx.cwd), envFiles: ctx.envFiles };
    return [
      call(dockerBuild, { target: 'development', tag: 'promtior-assistant:dev' }),
      cmd(composeArgv(compose, project, ['up', '--abort-on-container-exit']), { cwd: ctx.cwd, okExitCodes: [130] }),
      // Ctrl-C stops `compose up`; this removes the containers so none are left behind.
      cmd(composeArgv(compose, project, ['down', '--remove-orphans']), { cwd: ctx.cwd, always: true }),
    ];
  },
});
