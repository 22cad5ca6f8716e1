/**
 * Compose for the tasks that act on one service of a running stack (logs, shell, restart): the project's every
 * stack file, so any service of the full or the development stack is known. They neither create nor recreate a
 * container, so the images named and the secrets do not matter: the required admin key and the secret files get
 * stand-ins, as for docker-clean, and the real ones are never passed.
 */
import type { ComposeFlavor, DockerFacts } from '../facts/facts.ts';
import type { PlanContext } from '../model/task.ts';
import { type ComposeRun, composeEnv, composeFor } from './docker-plan.ts';
import { readWorkflowValues } from './env.ts';
import { configuredImages } from './images.ts';
import { resolveProject } from './project.ts';
import { secretFileStandIns } from './secret-files.ts';
import { stackFileNames } from './services.ts';

export function serviceCompose(ctx: PlanContext, facts: { docker: DockerFacts; compose: ComposeFlavor | undefined }, task: string): ComposeRun {
  const project = resolveProject(ctx);
  const values = readWorkflowValues(ctx, project.dir);
  const run = composeFor(ctx, facts.compose, facts.docker.bin, project, {
    files: stackFileNames(ctx.config),
    env: composeEnv(configuredImages(values), values, { ADMIN_REINGEST_KEY: `unused-by-${task}` }),
  });
  // The secret files are mounted already (or not at all): compose only needs the file variables to interpolate.
  Object.assign(run.env, secretFileStandIns(run.project.files[0] ?? project.dir));
  return run;
}
