/**
 * Compose for the tasks that act on one service of a running stack (logs, shell, restart): the project's every
 * stack file, so any service of the full or the development stack is known. They neither create nor recreate a
 * container, so the images named and the secrets do not matter: the required admin key gets a stand-in, as for
 * docker-clean, and the real one is never passed.
 */
import type { ComposeFlavor, DockerFacts } from '../facts/facts.ts';
import type { PlanContext } from '../model/task.ts';
import { type ComposeRun, composeEnv, composeFor } from './docker-plan.ts';
import { readWorkflowValues } from './env.ts';
import { configuredImages } from './images.ts';
import { resolveProject } from './project.ts';
import { stackFileNames } from './services.ts';

export function serviceCompose(ctx: PlanContext, facts: { docker: DockerFacts; compose: ComposeFlavor | undefined }, task: string): ComposeRun {
  const project = resolveProject(ctx);
  const values = readWorkflowValues(ctx, project.dir);
  return composeFor(ctx, facts.compose, facts.docker.bin, project, {
    files: stackFileNames(ctx.config),
    env: composeEnv(configuredImages(values), values, { ADMIN_REINGEST_KEY: `unused-by-${task}` }),
  });
}
