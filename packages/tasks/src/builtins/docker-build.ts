import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import { capture } from '../exec/run-command.ts';
import { action, call, cmd } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { diagnoseBuild } from '../workflow/build-diagnosis.ts';
import { dockerSetup, requireEngine } from '../workflow/docker-plan.ts';
import { readWorkflowValues } from '../workflow/env.ts';
import { chooseImages, IMAGE_MODES } from '../workflow/images.ts';
import { dockerFile, resolveProject } from '../workflow/project.ts';
import { dockerOfflineImages } from './docker-offline-images.ts';
import { envCheck } from './env-check.ts';

export const DEFAULT_IMAGE = 'promtior-assistant:latest';
export const DOCKER_TARGETS = ['production', 'development', 'dependencies', 'base'] as const;
/** Label that marks the images we build, so docker-clean removes exactly those. */
export const PROJECT_LABEL = 'com.promtior.tasks.project';

export const dockerBuild = defineTask({
  name: 'docker-build',
  group: 'docker',
  description: 'Build the image with BuildKit (env-check first); report its size and the build time',
  options: z.object({
    target: z.enum(DOCKER_TARGETS).default('production').describe('Dockerfile stage to build'),
    tag: z.string().min(1).optional().describe('image name:tag (default: tasks.config.ts image, else promtior-assistant:latest)'),
    file: z.string().min(1).optional().describe("Dockerfile (default: the project's own, else the assets package's)"),
    noCache: z.boolean().default(false).describe('build without the layer cache'),
    images: z.enum(IMAGE_MODES).default('auto').describe('base images: registry, offline stand-ins, or auto (registry when on the machine)'),
    buildArg: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=/, 'KEY=value'))
      .default([])
      .describe('extra --build-arg KEY=value (repeatable)'),
    cacheFrom: z.array(z.string().min(1)).default([]).describe('BuildKit cache to import: an image ref or type=registry,ref=... (repeatable)'),
    cacheTo: z.array(z.string().min(1)).default([]).describe('BuildKit cache to export: inline, or type=registry,... with buildx (repeatable)'),
  }),
  examples: [
    'task docker-build',
    'task docker-build --target development --tag promtior-assistant:dev',
    'task docker-build --cache-from registry.example.com/app:cache --cache-to inline',
  ],
  run: async (opts, ctx) => {
    const project = resolveProject(ctx);
    const tag = opts.tag ?? ctx.config.image ?? DEFAULT_IMAGE;
    const values = readWorkflowValues(ctx, project.dir);
    const setup = await dockerSetup(ctx);
    const choice = await chooseImages(opts.images, values, setup.bin, ctx.cwd);
    const rev = await capture(['git', 'rev-parse', 'HEAD'], project.dir);
    // The inline cache rides in the image itself: the one export every BuildKit driver supports.
    const isInline = (c: string) => c === 'inline' || c === 'type=inline';
    const inline = opts.cacheTo.filter(isInline);
    const exports = opts.cacheTo.filter((c) => !isInline(c));
    const buildArgs = [
      `APP_PORT=${values.APP_PORT}`,
      `PYTHON_IMAGE=${choice.images.PYTHON_IMAGE}`,
      `UV_IMAGE=${choice.images.UV_IMAGE}`,
      ...(inline.length > 0 ? ['BUILDKIT_INLINE_CACHE=1'] : []),
      ...opts.buildArg,
    ];
    const argv = [
      setup.bin,
      'build',
      '--progress=plain',
      '--target',
      opts.target,
      '--tag',
      tag,
      '--file',
      dockerFile(project, 'Dockerfile', opts.file ?? ctx.config.dockerfile),
      ...buildArgs.flatMap((a) => ['--build-arg', a]),
      '--label',
      `${PROJECT_LABEL}=${project.name}`,
      '--label',
      `org.opencontainers.image.revision=${rev.exitCode === 0 ? rev.stdout : 'unknown'}`,
      '--label',
      `org.opencontainers.image.created=${new Date().toISOString()}`,
      ...(opts.noCache ? ['--no-cache'] : []),
      ...opts.cacheFrom.flatMap((c) => ['--cache-from', c]),
      ...exports.flatMap((c) => ['--cache-to', c]),
      '.',
    ];
    const cacheGuard = action('check the cache export', [`check that the client can export ${exports.join(', ')}`], async () => {
      if (setup.client?.buildkit.ok && setup.client.buildkit.via !== 'buildx') {
        throw new TaskError(
          ErrorCode.badFlag,
          `--cache-to ${exports.join(', ')} needs buildx; ${setup.bin} ${setup.client.version} builds with BuildKit built in, which can only export the inline cache. Fix: use --cache-to inline (and --cache-from <image> on the next runner), or install the buildx plugin.`,
        );
      }
    });
    const clock = { started: 0 };
    return [
      call(envCheck),
      requireEngine(setup),
      ...(exports.length > 0 ? [cacheGuard] : []),
      ...(choice.offline ? [call(dockerOfflineImages)] : []),
      action('start the build clock', [`base images: ${choice.reason}`], async (rt) => {
        rt.log(`base images: ${choice.reason}`);
        clock.started = Date.now();
      }),
      cmd(argv, { cwd: project.dir, env: { DOCKER_BUILDKIT: '1' }, diagnose: diagnoseBuild(project.dir) }),
      action('report size and build time', [`${setup.bin} image inspect ${tag} (size)`], async (rt) => {
        const seconds = ((Date.now() - clock.started) / 1000).toFixed(1);
        const size = await rt.exec({ argv: [setup.bin, 'image', 'inspect', '--format', '{{.Size}}', tag], cwd: project.dir }, { quiet: true });
        rt.log(`built ${tag} (target ${opts.target}): ${(Number(size.stdout.trim()) / 1e6).toFixed(1)} MB in ${seconds} s`);
      }),
    ];
  },
});
