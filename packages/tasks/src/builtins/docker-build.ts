import { DOCKERFILE_TARGETS } from '@promtior/docker-assets';
import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import type { DockerClient, GitFacts } from '../facts/facts.ts';
import { output } from '../model/data-flow.ts';
import { action, type CmdOutcome, call, cmd } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { safeBuildArgs } from '../workflow/build-args.ts';
import { diagnoseBuild } from '../workflow/build-diagnosis.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { buildArgsOf, readWorkflowValues, specFor } from '../workflow/env.ts';
import { imageCheck } from '../workflow/image-check.ts';
import { imageLabels, imageSteps, standInWarnings } from '../workflow/image-steps.ts';
import { chooseImages, IMAGE_MODES, rolesLine } from '../workflow/images.ts';
import { dockerFile, resolveProject } from '../workflow/project.ts';
import { imageRefOption } from '../workflow/ref-options.ts';
import { sharedCache } from '../workflow/shared-cache.ts';
import { dockerOfflineImages } from './docker-offline-images.ts';
import { envCheck } from './env-check.ts';

export const DEFAULT_IMAGE = 'promtior-assistant:latest';
/** The shipped Dockerfile's stages worth building (runtime-minimal too), as the assets package declares them. */
export const DOCKER_TARGETS = DOCKERFILE_TARGETS;
/** Label that marks the images we build, so docker-clean removes exactly those. */
export const PROJECT_LABEL = 'com.promtior.tasks.project';

export const dockerBuild = defineTask({
  name: 'docker-build',
  group: 'docker',
  description: 'Build the image with BuildKit (env-check first); report its size and the build time',
  options: z.object({
    target: z.enum(DOCKER_TARGETS).default('production').describe('Dockerfile stage to build'),
    tag: imageRefOption().optional().describe('image name:tag (default: tasks.config.ts image, else promtior-assistant:latest)'),
    file: z
      .string()
      .min(1)
      .meta({ path: true })
      .optional()
      .describe("Dockerfile, relative to where you run the command (default: the project's own, else the assets package's)"),
    noCache: z.boolean().default(false).describe('build without the layer cache'),
    images: z
      .enum(IMAGE_MODES)
      .default('auto')
      .describe('base images: auto (on the machine, else pulled, else a local stand-in), registry (never a stand-in), or offline (stand-ins)'),
    buildArg: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=/, 'KEY=value'))
      .default([])
      .describe('extra --build-arg KEY=value (repeatable)'),
    cacheFrom: z.array(z.string().min(1)).default([]).describe('BuildKit cache to import: an image ref or type=registry,ref=... (repeatable)'),
    cacheTo: z.array(z.string().min(1)).default([]).describe('BuildKit cache to export: inline, or type=registry,... with buildx (repeatable)'),
    sharedCache: z
      .string()
      .min(1)
      .optional()
      .describe(
        'a build cache shared through a registry (an image ref): imported, then exported with what the client supports (registry cache with buildx, else inline in the pushed image)',
      ),
  }),
  examples: [
    'task docker-build',
    'task docker-build --target development --tag promtior-assistant:dev',
    'task docker-build --cache-from registry.example.com/app:cache --cache-to inline',
    'task docker-build --shared-cache ghcr.io/team/app:cache',
  ],
  needs: ['docker', 'images', 'registry', 'git'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const tag = opts.tag ?? ctx.config.image ?? DEFAULT_IMAGE;
    const values = readWorkflowValues(ctx, project.dir);
    const bin = facts.docker.bin;
    const choice = chooseImages(opts.images, values, facts.images, facts.registry);
    const roles = ['PYTHON_IMAGE', 'UV_IMAGE'] as const;
    // The inline cache rides in the image itself: the one export every BuildKit driver supports.
    const isInline = (c: string) => c === 'inline' || c === 'type=inline';
    const shared = opts.sharedCache ? sharedCache(opts.sharedCache, facts.registry.cacheExport, { bin, tag, cwd: project.dir }) : undefined;
    const inline = opts.cacheTo.filter(isInline);
    const exports = [...opts.cacheTo.filter((c) => !isInline(c)), ...(shared?.cacheTo ?? [])];
    // Every build-arg variable of the repo's spec (APP_PORT, APP_MODULE...), with the chosen base images.
    // Checked in one place: no value that holds a secret becomes a build arg (it would be baked into the image).
    const buildArgs = safeBuildArgs(
      ctx,
      project.dir,
      [
        ...buildArgsOf(specFor(ctx.config), values, { PYTHON_IMAGE: choice.images.PYTHON_IMAGE, UV_IMAGE: choice.images.UV_IMAGE }),
        ...(inline.length > 0 || shared?.buildArgs.length ? ['BUILDKIT_INLINE_CACHE=1'] : []),
        ...opts.buildArg,
      ],
      opts.buildArg,
    );
    const dockerfile = dockerFile(project, 'Dockerfile', opts.file ?? ctx.config.dockerfile);
    // Labels that say whose image it is: inputs of the fingerprint (image-check.ts), unlike the revision and date.
    const ownLabels = [`${PROJECT_LABEL}=${project.name}`, ...imageLabels(choice, roles)];
    // A daemon that did not answer the facts cannot tell the image's label either (one that is silent would keep the
    // check waiting): the check only computes, and the engine check after it stops the run with the daemon's answer.
    const runAnyway = opts.noCache
      ? '--no-cache'
      : exports.length > 0
        ? 'it exports its cache'
        : !facts.docker.daemon.ok
          ? 'the Docker daemon did not answer'
          : undefined;
    const fresh = imageCheck({
      bin,
      tag,
      context: project.dir,
      dockerfile,
      target: opts.target,
      buildArgs,
      labels: ownLabels,
      baseImages: [choice.images.PYTHON_IMAGE, choice.images.UV_IMAGE],
      images: facts.images,
      api: facts.docker.api,
      runAnyway,
    });
    const argv = [
      bin,
      'build',
      '--progress=plain',
      '--target',
      opts.target,
      '--tag',
      tag,
      '--file',
      dockerfile,
      ...buildArgs.flatMap((a) => ['--build-arg', a]),
      ...ownLabels.flatMap((l) => ['--label', l]),
      ...sourceLabels(facts.git, ctx.env.SOURCE_DATE_EPOCH).flatMap((l) => ['--label', l]),
      '--label',
      fresh.label,
      ...(opts.noCache ? ['--no-cache'] : []),
      ...[...opts.cacheFrom, ...(shared?.cacheFrom ?? [])].flatMap((c) => ['--cache-from', c]),
      ...exports.flatMap((c) => ['--cache-to', c]),
      ...(shared?.flags ?? []),
      '.',
    ];
    const built = output<CmdOutcome>('build');
    return [
      fresh.check,
      call(envCheck),
      requireEngine(facts.docker),
      ...(exports.length > 0 && !canExportCache(facts.docker.chosen) ? [refuseCacheExport(exports, facts.docker.chosen)] : []),
      ...imageSteps(choice, roles, { bin, cwd: project.dir, offlineImages: dockerOfflineImages, warn: false }),
      cmd(argv, { cwd: project.dir, env: { DOCKER_BUILDKIT: '1' }, diagnose: diagnoseBuild(project.dir), output: built }),
      ...(shared?.after ?? []),
      action(
        'report size and build time',
        [
          `${bin} image inspect --format {{.Size}} ${tag}, then report the size and the build's time (base images: ${rolesLine(choice, roles)})`,
          ...(shared ? [`then print: ${shared.note}`] : []),
          ...standInWarnings(choice, roles).map((w) => `then print: ${w}`),
        ],
        async (rt) => {
          const seconds = (rt.get(built).durationMs / 1000).toFixed(1);
          const size = await rt.exec({ argv: [bin, 'image', 'inspect', '--format', '{{.Size}}', tag], cwd: project.dir }, { quiet: true });
          rt.log(
            `built ${tag} (target ${opts.target}): ${(Number(size.stdout.trim()) / 1e6).toFixed(1)} MB in ${seconds} s; base images: ${rolesLine(choice, roles)}`,
          );
          if (shared) rt.log(shared.note);
          for (const w of standInWarnings(choice, roles)) rt.log(w);
        },
        { reads: [built] },
      ),
    ];
  },
});

/**
 * The OCI source labels. The creation date is the commit's time (or SOURCE_DATE_EPOCH), not the clock: a rebuild
 * of the same source gives the same labels, so an unchanged build is recognisable as one.
 */
export function sourceLabels(git: GitFacts, sourceDateEpoch?: string): string[] {
  const epoch = sourceDateEpoch && /^\d+$/.test(sourceDateEpoch) ? Number(sourceDateEpoch) : git.commitTime;
  return [
    `org.opencontainers.image.revision=${git.revision ? `${git.revision}${git.dirty ? '-dirty' : ''}` : 'unknown'}`,
    ...(epoch !== undefined ? [`org.opencontainers.image.created=${new Date(epoch * 1000).toISOString()}`] : []),
  ];
}

function canExportCache(client: DockerClient | undefined): boolean {
  return !client?.buildkit.ok || client.buildkit.via === 'buildx';
}

function refuseCacheExport(exports: readonly string[], client: DockerClient | undefined) {
  return action('check the cache export', [`refuse: --cache-to ${exports.join(', ')} needs buildx, and ${client?.bin} has BuildKit built in`], () => {
    throw new TaskError(
      ErrorCode.badFlag,
      `--cache-to ${exports.join(', ')} needs buildx; ${client?.bin} ${client?.version} builds with BuildKit built in, which can only export the inline cache. Fix: use --cache-to inline (and --cache-from <image> on the next runner), or install the buildx plugin.`,
    );
  });
}
