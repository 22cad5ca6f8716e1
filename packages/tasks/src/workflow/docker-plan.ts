/**
 * Plan pieces the docker tasks share, all pure: the compose project and its environment (the engine check is in
 * engine-check.ts, apart, so that a task without compose does not load the compose file reader).
 */
import path from 'node:path';
import { type ComposeProject, composeArgv } from '../docker/compose.ts';
import type { ComposeFlavor } from '../facts/facts.ts';
import type { Output } from '../model/data-flow.ts';
import { action, type CmdStep, cmd } from '../model/steps.ts';
import type { PlanContext } from '../model/task.ts';
import { assertComposeFiles } from './compose-check.ts';
import type { Images } from './images.ts';
import { dockerFile, type Project } from './project.ts';

export interface ComposeRun {
  flavor: Pick<ComposeFlavor, 'kind' | 'argv'>;
  project: ComposeProject;
  /** Variables compose interpolates besides .env and the shell: the chosen images and ports. */
  env: Record<string, string>;
  /** The validated values every compose command gets in its environment (they win over what compose reads). */
  envFrom?: Output<Readonly<Record<string, string>>>;
}

export interface ComposeOptions {
  files: readonly string[];
  env: Record<string, string>;
  envFrom?: Output<Readonly<Record<string, string>>>;
}

export function composeFor(ctx: PlanContext, compose: ComposeFlavor | undefined, dockerBin: string, project: Project, opts: ComposeOptions): ComposeRun {
  // When no compose answers, plan with v2's spelling; the run fails at the engine check or with compose's error.
  const flavor = compose ?? { kind: 'v2' as const, argv: [dockerBin, 'compose'] };
  const files = opts.files.map((f) => (path.isAbsolute(f) ? f : dockerFile(project, f as 'docker-compose.full.yml')));
  return {
    flavor,
    project: { files, projectName: project.name, projectDirectory: project.dir, envFiles: ctx.envFiles },
    // The flavour's own variables first (compose v1's faster start), then the run's.
    env: { ...compose?.env, ...opts.env },
    ...(opts.envFrom ? { envFrom: opts.envFrom } : {}),
  };
}

/** A step that parses the compose files first: a broken file stops the run before anything starts. */
export function checkCompose(run: ComposeRun) {
  // Relative to the project folder, as compose reads them: never to where the CLI was started (`-C` is like `cd`).
  return action('check compose files', [`parse ${run.project.files.join(', ')} and stop with file:line if one is broken`], () =>
    assertComposeFiles(run.project.files, run.project.projectDirectory),
  );
}

export function composeCmd(run: ComposeRun, args: readonly string[], extra: Omit<CmdStep, 'kind' | 'argv' | 'cwd' | 'env'> = {}): CmdStep {
  return cmd(composeArgv(run.flavor, run.project, args), {
    cwd: run.project.projectDirectory,
    env: run.env,
    ...(run.envFrom ? { envFrom: run.envFrom } : {}),
    ...extra,
  });
}

/** Compose variables for the chosen images and the published port (host port = app port unless set). */
export function composeEnv(images: Images, values: Readonly<Record<string, string>>, extra: Record<string, string> = {}): Record<string, string> {
  const port = values.APP_PORT ?? '8000';
  return { ...images, APP_HOST_PORT: values.APP_HOST_PORT ?? port, ...extra };
}
