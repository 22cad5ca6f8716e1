/**
 * Plan pieces the docker tasks share, all pure: the engine check (a step that fails the run, not the plan, so
 * --dry-run still prints on a machine without Docker), the compose project and its environment.
 */
import path from 'node:path';
import { type ComposeProject, composeArgv } from '../docker/compose.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import type { ComposeFlavor, DockerFacts } from '../facts/facts.ts';
import type { Output } from '../model/data-flow.ts';
import { action, type CmdStep, cmd } from '../model/steps.ts';
import type { PlanContext } from '../model/task.ts';
import { assertComposeFiles } from './compose-check.ts';
import type { Images } from './images.ts';
import { dockerFile, type Project } from './project.ts';

/**
 * Fails the run before any slow or changing step when no client can run a BuildKit build or the daemon did not
 * answer. It reads the facts gathered for the plan: no second probe.
 */
export function requireEngine(docker: DockerFacts) {
  return action('check the Docker engine', ['check that the Docker daemon answers and the docker client can run a BuildKit build'], () => {
    const c = docker.chosen;
    if (!c) {
      throw new TaskError(
        ErrorCode.dockerUnavailable,
        'no working docker client found on PATH. Fix: install Docker (Debian: apt-get install docker.io), or set DOCKER=/path/to/docker; `task doctor` checks the machine.',
      );
    }
    if (!c.buildkit.ok) {
      throw new TaskError(
        ErrorCode.dockerUnavailable,
        `BuildKit is not usable: ${c.buildkit.why}. Fix: install the buildx plugin, or set DOCKER to a client with BuildKit built in (such as /usr/bin/docker from Debian's docker.io); \`task doctor\` shows every client found.`,
      );
    }
    if (!docker.daemon.ok) {
      throw new TaskError(
        ErrorCode.dockerUnavailable,
        `the Docker daemon does not answer at ${docker.daemon.host} (${docker.daemon.error}). Fix: start it (systemctl start docker, or dockerd in the background) and check that you may use its socket; \`task doctor\` checks the machine. Nothing was changed.`,
      );
    }
  });
}

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
    env: opts.env,
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
