import { existsSync } from 'node:fs';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { z } from 'zod';
import { action, call } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { writeDevEnv } from '../workflow/dev-env.ts';
import { devView } from '../workflow/dev-view.ts';
import { checkCompose, composeCmd, composeEnv, composeFor } from '../workflow/docker-plan.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { readWorkflowValues, validatedEnv } from '../workflow/env.ts';
import { imageSteps, runningStackWarning } from '../workflow/image-steps.ts';
import { chooseImages, IMAGE_MODES, type ImageKey, type Images } from '../workflow/images.ts';
import { resolveProject } from '../workflow/project.ts';
import { imageRefOption } from '../workflow/ref-options.ts';
import { composeSecretsEnv, removeSecretFiles, secretFileStandIns, secretsDir, writeSecretFiles } from '../workflow/secret-files.ts';
import { dockerBuild } from './docker-build.ts';
import { dockerOfflineImages } from './docker-offline-images.ts';
import { DEV_COMPOSE, FULL_COMPOSE } from './docker-run.ts';
import { envCheck } from './env-check.ts';

export const DEV_IMAGE = 'promtior-assistant:dev';

export const dockerDev = defineTask({
  name: 'docker-dev',
  group: 'docker',
  description: 'Build the development image and run the stack with the dev override in the foreground (hot reload, debug port 9229)',
  options: z.object({
    composeFile: z
      .array(z.string().meta({ path: true }))
      .optional()
      .describe('compose files, in order (repeatable; default: tasks.config.ts composeFiles.dev, else full + docker-compose.dev.yml)'),
    images: z.enum(IMAGE_MODES).default('auto').describe('base images: registry, offline stand-ins, or auto'),
    tag: imageRefOption().optional().describe('image name:tag of the development image (default: tasks.config.ts devImage, else promtior-assistant:dev)'),
  }),
  needs: ['docker', 'compose', 'images', 'registry', 'user'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const envFile = path.join(project.dir, '.env');
    const needsEnv = ctx.envFiles.length === 0 && !existsSync(envFile) && !ctx.env.ADMIN_REINGEST_KEY && !ctx.env.ADMIN_REINGEST_KEY_FILE;
    const values = readWorkflowValues(ctx, project.dir);
    const choice = chooseImages(opts.images, values, facts.images, facts.registry);
    const images = { bin: facts.docker.bin, cwd: project.dir, offlineImages: dockerOfflineImages, warn: false };
    const tag = opts.tag ?? ctx.config.devImage ?? DEV_IMAGE;
    const compose = composeFor(ctx, facts.compose, facts.docker.bin, project, {
      files: opts.composeFile ?? ctx.config.composeFiles?.dev ?? [FULL_COMPOSE, DEV_COMPOSE],
      env: composeEnv(choice.images, values, { APP_DEV_IMAGE: tag }),
      envFrom: composeSecretsEnv,
    });
    const secrets = secretsDir(project, facts.user, ctx.env);
    const view = devView({
      project: project.name,
      url: `http://127.0.0.1:${compose.env.APP_HOST_PORT}`,
      source: `${path.join(project.dir, 'src')}${path.sep}`,
      debugPort: ctx.env.DEBUG_HOST_PORT ?? '9229',
      standIns: standIns(choice.images),
    });
    return [
      requireEngine(facts.docker),
      ...(needsEnv
        ? [
            action('create .env for development', [`${envFile} does not exist: write it (mode 0600) with a generated ADMIN_REINGEST_KEY`], (rt) =>
              rt.log(writeDevEnv(envFile, ctx)),
            ),
          ]
        : []),
      // After the .env above exists: what it validates is what compose gets.
      call(envCheck),
      checkCompose(compose),
      call(dockerBuild, { target: 'development', tag, images: opts.images }),
      ...imageSteps(choice, ['OLLAMA_IMAGE'], images),
      runningStackWarning(choice, tag, { ...images, api: facts.docker.api }),
      writeSecretFiles(secrets, project.dir, facts.user, validatedEnv),
      // -t 4: on Ctrl-C compose stops the containers within our 5 s grace period. In a terminal the output is a
      // fixed header (URL, reloads, debugger, stand-ins, how to stop) over the app's own logs.
      composeCmd(compose, ['up', '--no-build', '--remove-orphans', '--abort-on-container-exit', '--timeout', '4'], { okExitCodes: [130], view }),
      // Ctrl-C stops `compose up`; this removes the containers and the network so none are left behind, then the
      // secret files they mounted. Only once the secret files were being written (the step right before `up`): a run
      // that failed earlier started nothing, and a `down` then would remove the project's stack that docker-run
      // started. Stand-in file paths let `down` interpolate even when env-check did not run.
      composeCmd(
        { ...compose, env: { ...compose.env, ...secretFileStandIns(compose.project.files[0] ?? project.dir) } },
        ['down', '--remove-orphans', '--timeout', '5'],
        { always: true, onlyAfter: composeSecretsEnv },
      ),
      removeSecretFiles(secrets, project.dir, { always: true, onlyAfter: composeSecretsEnv }),
    ];
  },
});

const ROLES: Record<ImageKey, string> = { OLLAMA_IMAGE: 'Ollama', PYTHON_IMAGE: 'the Python base', UV_IMAGE: 'uv' };

/** The roles whose image is the local stand-in. */
function standIns(images: Images): string[] {
  return (Object.keys(ROLES) as ImageKey[]).filter((k) => images[k] === OFFLINE_IMAGES[k]).map((k) => ROLES[k]);
}
