import { assetPath } from '@promtior/docker-assets';
import { z } from 'zod';
import { composeArgv } from '../docker/compose.ts';
import { supportsStartInterval } from '../docker/start-interval.ts';
import { output } from '../model/data-flow.ts';
import { action, type CmdOutcome, call } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { verifiedRunSteps } from '../signing/run-verified.ts';
import { checkCompose, composeCmd, composeEnv, composeFor } from '../workflow/docker-plan.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { readWorkflowValues, validatedEnv } from '../workflow/env.ts';
import { imageSteps, runningStackWarning } from '../workflow/image-steps.ts';
import { chooseImages, IMAGE_MODES } from '../workflow/images.ts';
import { resolveProject } from '../workflow/project.ts';
import { imageRefOption } from '../workflow/ref-options.ts';
import { composeSecretsEnv, secretsDir, writeSecretFiles } from '../workflow/secret-files.ts';
import { serviceEndpoints, waitForServices } from '../workflow/service-health.ts';
import { psArgv, statusOf, waitReady } from '../workflow/wait-ready.ts';
import { DEFAULT_IMAGE, dockerBuild } from './docker-build.ts';
import { dockerOfflineImages } from './docker-offline-images.ts';
import { envCheck } from './env-check.ts';
import { verifySignature } from './verify-signature.ts';

export const FULL_COMPOSE = 'docker-compose.full.yml';
export const DEV_COMPOSE = 'docker-compose.dev.yml';

export const dockerRun = defineTask({
  name: 'docker-run',
  group: 'docker',
  description: 'Build, start the full stack (app + Ollama) detached, and wait until the app answers /ready',
  options: z.object({
    composeFile: z
      .array(z.string().meta({ path: true }))
      .optional()
      .describe('compose files, in order (repeatable; default: tasks.config.ts composeFiles.full, else docker-compose.full.yml)'),
    timeout: z.coerce.number().int().positive().default(90).describe('seconds to wait for the app to be ready'),
    build: z.boolean().default(true).describe('build the image first (--no-build to skip)'),
    images: z.enum(IMAGE_MODES).default('auto').describe('base images: registry, offline stand-ins, or auto'),
    tag: imageRefOption().optional().describe('image name:tag of the app (default: tasks.config.ts image, else promtior-assistant:latest)'),
    verifySignature: z
      .boolean()
      .default(false)
      .describe('check the signature of the pushed image (with --no-build) before running it, and run exactly that digest'),
  }),
  needs: ['docker', 'compose', 'images', 'registry', 'user'],
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
      envFrom: composeSecretsEnv,
    });
    const base = `http://127.0.0.1:${compose.env.APP_HOST_PORT}`;
    const healthPath = ctx.config.healthPath ?? values.APP_HEALTH_PATH ?? '/health';
    // /ready is the assistant's own endpoint; another team's service (preset 'none') is ready when its health path answers.
    const readyPath = ctx.config.readyPath ?? (ctx.config.preset === 'none' ? healthPath : '/ready');
    const up = output<CmdOutcome>('compose-up');
    const logsArgv = composeArgv(compose.flavor, compose.project, ['logs', '--no-color', '--tail', '30']);
    const secrets = secretsDir(project, facts.user, ctx.env);
    return [
      call(envCheck),
      requireEngine(facts.docker),
      checkCompose(compose),
      ...(opts.verifySignature ? verifiedRunSteps(tag, { ...images, build: opts.build, verifyTask: verifySignature }) : []),
      ...(opts.build ? [call(dockerBuild, { target: 'production', images: opts.images, tag })] : []),
      ...imageSteps(choice, ['OLLAMA_IMAGE'], images),
      writeSecretFiles(secrets, project.dir, facts.user, validatedEnv),
      composeCmd(compose, ['up', '-d', '--no-build', '--remove-orphans'], { output: up }),
      action(
        'wait until ready',
        [
          `poll ${base}${readyPath} every 0.1 s (${base}${healthPath} if the app answers 404) and the containers' state every 1 s (${psArgv(facts.docker.bin, project.name).slice(0, 5).join(' ')}), for up to ${opts.timeout} s`,
          'if a container exits or turns unhealthy, or time runs out: show `compose logs --tail 30` of the culprit and stop',
          `then print where the app and its metrics are (${base}/metrics)`,
        ],
        async (rt) => {
          const env = { ...rt.get(composeSecretsEnv), ...compose.env };
          const ready = await waitReady(rt, {
            readyUrl: `${base}${readyPath}`,
            healthUrl: `${base}${healthPath}`,
            timeoutMs: opts.timeout * 1000,
            dockerBin: facts.docker.bin,
            project: project.name,
            logsArgv,
            cwd: project.dir,
            env,
          });
          const total = (rt.get(up).durationMs + ready.readyMs) / 1000;
          const answered = ready.url.slice(base.length);
          rt.log(`ready: ${base} answered ${answered} ${total.toFixed(2)} s after compose up (${(ready.readyMs / 1000).toFixed(2)} s of waiting)`);
          rt.log(`  app:     ${base} (${[...new Set([healthPath, answered])].join(', ')})`);
          const metrics = await statusOf(`${base}/metrics`);
          rt.log(
            metrics === 200
              ? `  metrics: ${base}/metrics (Prometheus text format; the app container carries prometheus.io/* scrape labels)`
              : `  metrics: none (${base}/metrics answered ${metrics ?? 'nothing'})`,
          );
          for (const s of ready.states) rt.log(`  ${s.service}: ${s.status}, docker health ${s.health}`);
        },
        { reads: [up, composeSecretsEnv] },
      ),
      // The other services tasks.config.ts names with a health endpoint (workflow/service-health.ts).
      ...waitForServices(serviceEndpoints(ctx.config), opts.timeout),
      // Last, so that it is the line a person reads when the run ends.
      runningStackWarning(choice, tag, { ...images, api: facts.docker.api }),
    ];
  },
});
