import { assetPath } from '@promtior/docker-assets';
import { z } from 'zod';
import { composeArgv } from '../docker/compose.ts';
import { supportsStartInterval } from '../docker/start-interval.ts';
import { output } from '../model/data-flow.ts';
import { action, type CmdOutcome, call } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { verifiedRunSteps } from '../signing/run-verified.ts';
import { checkCompose, composeCmd, composeEnv, composeFor, requireEngine } from '../workflow/docker-plan.ts';
import { readWorkflowValues, validatedEnv } from '../workflow/env.ts';
import { imageSteps, runningStackWarning } from '../workflow/image-steps.ts';
import { chooseImages, IMAGE_MODES } from '../workflow/images.ts';
import { resolveProject } from '../workflow/project.ts';
import { serviceEndpoints, waitForServices } from '../workflow/service-health.ts';
import { waitReady } from '../workflow/wait-ready.ts';
import { DEFAULT_IMAGE, dockerBuild } from './docker-build.ts';
import { dockerOfflineImages } from './docker-offline-images.ts';
import { envCheck } from './env-check.ts';
import { verifySignature } from './verify-signature.ts';

export const FULL_COMPOSE = 'docker-compose.full.yml';
export const DEV_COMPOSE = 'docker-compose.dev.yml';

export const dockerRun = defineTask({
  name: 'docker-run',
  group: 'docker',
  description: 'Build, start the full stack (app + Ollama) detached, and wait until the app answers /health',
  options: z.object({
    composeFile: z
      .array(z.string().meta({ path: true }))
      .optional()
      .describe('compose files, in order (repeatable; default: tasks.config.ts composeFiles.full, else docker-compose.full.yml)'),
    timeout: z.coerce.number().int().positive().default(90).describe('seconds to wait for the app to be ready'),
    build: z.boolean().default(true).describe('build the image first (--no-build to skip)'),
    images: z.enum(IMAGE_MODES).default('auto').describe('base images: registry, offline stand-ins, or auto'),
    tag: z.string().min(1).optional().describe('image name:tag of the app (default: tasks.config.ts image, else promtior-assistant:latest)'),
    verifySignature: z
      .boolean()
      .default(false)
      .describe('check the signature of the pushed image (with --no-build) before running it, and run exactly that digest'),
  }),
  needs: ['docker', 'compose', 'images', 'registry'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const values = readWorkflowValues(ctx, project.dir);
    const choice = chooseImages(opts.images, values, facts.images, facts.registry);
    const images = { bin: facts.docker.bin, cwd: project.dir, offlineImages: dockerOfflineImages, warn: false };
    const tag = opts.tag ?? ctx.config.image ?? DEFAULT_IMAGE;
    const files = [...(opts.composeFile ?? ctx.config.composeFiles?.full ?? [FULL_COMPOSE])];
    // Docker 25+ checks health every second during the start period; older engines: our own polling covers it.
    const api = facts.docker.daemon.ok ? facts.docker.daemon.api : '';
    if (facts.compose && supportsStartInterval(api, facts.compose.kind)) files.push(assetPath('docker-compose.start-interval.yml'));
    const compose = composeFor(ctx, facts.compose, facts.docker.bin, project, {
      files,
      env: composeEnv(choice.images, values, { APP_IMAGE: tag }),
      envFrom: validatedEnv,
    });
    const healthPath = ctx.config.healthPath ?? values.APP_HEALTH_PATH ?? '/health';
    const url = `http://127.0.0.1:${compose.env.APP_HOST_PORT}${healthPath}`;
    const up = output<CmdOutcome>('compose-up');
    const psArgv = composeArgv(compose.flavor, compose.project, ['ps', '-q']);
    const logsArgv = composeArgv(compose.flavor, compose.project, ['logs', '--no-color', '--tail', '30']);
    return [
      call(envCheck),
      requireEngine(facts.docker),
      checkCompose(compose),
      ...(opts.verifySignature ? verifiedRunSteps(tag, { ...images, build: opts.build, verifyTask: verifySignature }) : []),
      ...(opts.build ? [call(dockerBuild, { target: 'production', images: opts.images, tag })] : []),
      ...imageSteps(choice, ['OLLAMA_IMAGE'], images),
      composeCmd(compose, ['up', '-d', '--no-build', '--remove-orphans'], { output: up }),
      action(
        'wait until ready',
        [
          `poll ${url} every 0.25 s and the containers' state every 1 s (${facts.docker.bin} inspect of \`compose ps -q\`), for up to ${opts.timeout} s`,
          'if a container exits or turns unhealthy, or time runs out: show `compose logs --tail 30` of the culprit and stop',
        ],
        async (rt) => {
          const env = { ...rt.get(validatedEnv), ...compose.env };
          const { readyMs, states } = await waitReady(rt, {
            url,
            timeoutMs: opts.timeout * 1000,
            dockerBin: facts.docker.bin,
            psArgv,
            logsArgv,
            cwd: project.dir,
            env,
          });
          const total = (rt.get(up).durationMs + readyMs) / 1000;
          rt.log(
            `ready: http://127.0.0.1:${compose.env.APP_HOST_PORT} answered ${healthPath} ${total.toFixed(2)} s after compose up (${(readyMs / 1000).toFixed(2)} s of waiting)`,
          );
          for (const s of states) rt.log(`  ${s.service}: ${s.status}, docker health ${s.health}`);
        },
        { reads: [up, validatedEnv] },
      ),
      // The other services tasks.config.ts names with a health endpoint (workflow/service-health.ts).
      ...waitForServices(serviceEndpoints(ctx.config), opts.timeout),
      // Last, so that it is the line a person reads when the run ends.
      runningStackWarning(choice, tag, images),
    ];
  },
});
