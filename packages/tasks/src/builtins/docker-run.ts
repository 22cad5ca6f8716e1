import { assetPath } from '@promtior/docker-assets';
import { z } from 'zod';
import { supportsStartInterval } from '../docker/start-interval.ts';
import { capture } from '../exec/run-command.ts';
import { action, call } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { checkCompose, composeCmd, composeEnv, composeFor, dockerSetup, requireEngine } from '../workflow/docker-plan.ts';
import { readWorkflowValues } from '../workflow/env.ts';
import { chooseImages, IMAGE_MODES } from '../workflow/images.ts';
import { resolveProject } from '../workflow/project.ts';
import { waitReady } from '../workflow/wait-ready.ts';
import { DEFAULT_IMAGE, dockerBuild } from './docker-build.ts';
import { dockerOfflineImages } from './docker-offline-images.ts';

export const FULL_COMPOSE = 'docker-compose.full.yml';
export const DEV_COMPOSE = 'docker-compose.dev.yml';

export const dockerRun = defineTask({
  name: 'docker-run',
  group: 'docker',
  description: 'Build, start the full stack (app + Ollama) detached, and wait until the app answers /health',
  options: z.object({
    composeFile: z
      .array(z.string())
      .optional()
      .describe('compose files, in order (repeatable; default: tasks.config.ts composeFiles.full, else docker-compose.full.yml)'),
    timeout: z.coerce.number().int().positive().default(90).describe('seconds to wait for the app to be ready'),
    build: z.boolean().default(true).describe('build the image first (--no-build to skip)'),
    images: z.enum(IMAGE_MODES).default('auto').describe('base images: registry, offline stand-ins, or auto'),
    tag: z.string().min(1).optional().describe('image name:tag of the app (default: tasks.config.ts image, else promtior-assistant:latest)'),
  }),
  run: async (opts, ctx) => {
    const project = resolveProject(ctx);
    const values = readWorkflowValues(ctx, project.dir);
    const setup = await dockerSetup(ctx);
    const choice = await chooseImages(opts.images, values, setup.bin, ctx.cwd);
    const api = (await capture([setup.bin, 'version', '--format', '{{.Server.APIVersion}}'], ctx.cwd)).stdout;
    const tag = opts.tag ?? ctx.config.image ?? DEFAULT_IMAGE;
    let compose = await composeFor(
      ctx,
      setup,
      project,
      opts.composeFile ?? ctx.config.composeFiles?.full ?? [FULL_COMPOSE],
      composeEnv(choice.images, values, { APP_IMAGE: tag }),
    );
    // Docker 25+ checks health every second during the start period; older engines: our own polling covers it.
    if (supportsStartInterval(api, compose.flavor.kind)) {
      compose = { ...compose, project: { ...compose.project, files: [...compose.project.files, assetPath('docker-compose.start-interval.yml')] } };
    }
    const url = `http://127.0.0.1:${compose.env.APP_HOST_PORT}${ctx.config.healthPath ?? '/health'}`;
    const clock = { started: 0 };
    return [
      requireEngine(setup),
      checkCompose(compose),
      ...(opts.build ? [call(dockerBuild, { target: 'production', images: opts.images, tag })] : choice.offline ? [call(dockerOfflineImages)] : []),
      action('start the clock', [], async () => {
        clock.started = Date.now();
      }),
      composeCmd(compose, ['up', '-d', '--no-build', '--remove-orphans']),
      action('wait until ready', [`poll ${url} every 0.25 s and the containers' state every 1 s, for up to ${opts.timeout} s`], async (rt) => {
        const { readyMs, states } = await waitReady(rt, {
          url,
          timeoutMs: opts.timeout * 1000,
          dockerBin: setup.bin,
          psArgv: composeCmd(compose, ['ps', '-q']).argv,
          logsArgv: composeCmd(compose, ['logs', '--no-color', '--tail', '30']).argv,
          cwd: project.dir,
          env: compose.env,
        });
        rt.log(
          `ready: ${url.replace('/health', '')} answered /health ${((Date.now() - clock.started) / 1000).toFixed(2)} s after compose up (${(readyMs / 1000).toFixed(2)} s of waiting)`,
        );
        for (const s of states) rt.log(`  ${s.service}: ${s.status}, docker health ${s.health}`);
      }),
    ];
  },
});
