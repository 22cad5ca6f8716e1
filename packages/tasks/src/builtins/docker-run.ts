import { z } from 'zod';
import { action, call, cmd } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { FULL_COMPOSE, projectName } from '../workflow/defaults.ts';
import { composeArgv, composeFor, dockerSetup } from '../workflow/docker-plan.ts';
import { workflowEnv } from '../workflow/env.ts';
import { waitHealthy } from '../workflow/wait-healthy.ts';
import { dockerBuild } from './docker-build.ts';

export const dockerRun = defineTask({
  name: 'docker-run',
  group: 'docker',
  description: 'Build, start the full stack (app + Ollama) detached, and wait until the app answers /health',
  options: z.object({
    composeFile: z.array(z.string()).default([FULL_COMPOSE]).describe('compose files, in order (repeatable)'),
    timeout: z.coerce.number().int().positive().default(60).describe('seconds to wait for the app to be ready'),
    build: z.boolean().default(true).describe('build the image first (--no-build to skip)'),
  }),
  run: async (opts, ctx) => {
    const env = workflowEnv(ctx);
    const setup = await dockerSetup(ctx);
    const compose = await composeFor(ctx, setup);
    const project = { files: opts.composeFile, projectName: projectName(ctx.cwd), envFiles: ctx.envFiles };
    const port = env.values.APP_PORT ?? '8000';
    const url = `http://localhost:${port}/health`;
    return [
      ...(opts.build ? [call(dockerBuild, { target: 'production' })] : []),
      cmd(composeArgv(compose, project, ['up', '-d']), { cwd: ctx.cwd }),
      action('wait until ready', [`poll ${url} and the containers' health every 0.25 s for up to ${opts.timeout} s`], async (rt) => {
        await waitHealthy(rt, {
          url,
          timeoutMs: opts.timeout * 1000,
          psArgv: composeArgv(compose, project, ['ps']),
          logsArgv: composeArgv(compose, project, ['logs', '--tail', '30']),
          cwd: ctx.cwd,
        });
      }),
    ];
  },
});
