import { z } from 'zod';
import { capture } from '../exec/run-command.ts';
import { action, call, cmd } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { DEFAULT_IMAGE, DOCKER_TARGETS } from '../workflow/defaults.ts';
import { dockerSetup, requireBuildkit } from '../workflow/docker-plan.ts';
import { workflowEnv } from '../workflow/env.ts';
import { envCheck } from './env-check.ts';

export const dockerBuild = defineTask({
  name: 'docker-build',
  group: 'docker',
  description: 'Build the image with BuildKit (env-check first); report its size and the build time',
  options: z.object({
    target: z.enum(DOCKER_TARGETS).default('production').describe('Dockerfile stage to build'),
    tag: z.string().min(1).default(DEFAULT_IMAGE).describe('image name:tag'),
    file: z.string().min(1).default('Dockerfile').describe('Dockerfile path, relative to the folder'),
    context: z.string().min(1).default('.').describe('build context folder'),
    noCache: z.boolean().default(false).describe('build without the layer cache'),
    buildArg: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=/, 'KEY=value'))
      .default([])
      .describe('extra --build-arg KEY=value (repeatable)'),
  }),
  examples: ['task docker-build', 'task docker-build --target development --tag promtior-assistant:dev'],
  run: async (opts, ctx) => {
    const env = workflowEnv(ctx);
    const setup = await dockerSetup(ctx);
    const rev = await capture(['git', 'rev-parse', 'HEAD'], ctx.cwd);
    const buildArgs = Object.entries(env.values)
      .filter(([k]) => ['APP_PORT'].includes(k))
      .map(([k, v]) => `${k}=${v}`)
      .concat(opts.buildArg);
    const argv = [
      setup.bin,
      'build',
      '--progress=plain',
      '--target',
      opts.target,
      '--tag',
      opts.tag,
      '--file',
      opts.file,
      ...buildArgs.flatMap((a) => ['--build-arg', a]),
      '--label',
      `org.opencontainers.image.revision=${rev.exitCode === 0 ? rev.stdout : 'unknown'}`,
      '--label',
      `org.opencontainers.image.created=${new Date().toISOString()}`,
      ...(opts.noCache ? ['--no-cache'] : []),
      opts.context,
    ];
    const started = { at: 0 };
    return [
      call(envCheck),
      requireBuildkit(setup),
      action('start the build clock', [], async () => {
        started.at = Date.now();
      }),
      cmd(argv, { cwd: ctx.cwd, env: { DOCKER_BUILDKIT: '1' } }),
      action('report size and build time', [`${setup.bin} image inspect ${opts.tag} (size)`], async (rt) => {
        const seconds = ((Date.now() - started.at) / 1000).toFixed(1);
        const size = await rt.exec({ argv: [setup.bin, 'image', 'inspect', '--format', '{{.Size}}', opts.tag], cwd: ctx.cwd }, { quiet: true });
        rt.log(`built ${opts.tag} (target ${opts.target}): ${(Number(size.stdout.trim()) / 1e6).toFixed(1)} MB in ${seconds} s`);
      }),
    ];
  },
});
