/** Plan pieces the docker tasks share: the chosen client, the BuildKit guard, the compose project and its env. */
import path from 'node:path';
import { chooseClient, type DockerClient } from '../docker/client.ts';
import { type ComposeFlavor, type ComposeProject, composeArgv, detectCompose } from '../docker/compose.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { action, type CmdStep, cmd } from '../model/steps.ts';
import type { PlanContext } from '../model/task.ts';
import { assertComposeFiles } from './compose-check.ts';
import type { Images } from './images.ts';
import { dockerFile, type Project } from './project.ts';

export interface DockerSetup {
  client: DockerClient | undefined;
  bin: string;
}

export async function dockerSetup(ctx: PlanContext): Promise<DockerSetup> {
  const client = await chooseClient(ctx.env, ctx.cwd);
  return { client, bin: client?.bin ?? 'docker' };
}

/**
 * Fails the run (not the plan, so --dry-run still prints) when no client can run a BuildKit build or the daemon
 * does not answer, before any slow or changing step starts.
 */
export function requireEngine(setup: DockerSetup) {
  return action('check the Docker engine', ['check that the Docker daemon answers and the docker client can run a BuildKit build'], async (rt) => {
    const c = setup.client;
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
    const server = await rt.exec({ argv: [c.bin, 'version', '--format', '{{.Server.Version}}'], cwd: rt.cwd }, { quiet: true, okExitCodes: [1] });
    if (server.exitCode !== 0 || !server.stdout.trim()) {
      const why =
        server.stderr
          .split('\n')
          .find((l) => /cannot connect|permission denied|error/i.test(l))
          ?.trim() ?? 'no answer';
      const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
      throw new TaskError(
        ErrorCode.dockerUnavailable,
        `the Docker daemon does not answer at ${host} (${why}). Fix: start it (systemctl start docker, or dockerd in the background) and check that you may use its socket; \`task doctor\` checks the machine. Nothing was changed.`,
      );
    }
  });
}

export interface ComposeRun {
  flavor: Pick<ComposeFlavor, 'kind' | 'argv'>;
  project: ComposeProject;
  /** Variables compose interpolates besides .env and the shell: the chosen images and ports. */
  env: Record<string, string>;
}

export async function composeFor(
  ctx: PlanContext,
  setup: DockerSetup,
  project: Project,
  files: readonly string[],
  env: Record<string, string>,
): Promise<ComposeRun> {
  // When nothing answers, plan with v2's spelling; the run fails with doctor's advice.
  const flavor = (await detectCompose(setup.bin, ctx.cwd)) ?? { kind: 'v2' as const, argv: [setup.bin, 'compose'] };
  const resolved = files.map((f) => (path.isAbsolute(f) ? f : dockerFile(project, f as 'docker-compose.full.yml')));
  return {
    flavor,
    project: { files: resolved, projectName: project.name, projectDirectory: project.dir, envFiles: ctx.envFiles.map((f) => path.resolve(ctx.cwd, f)) },
    env,
  };
}

/** A step that parses the compose files first: a broken file stops the run before anything starts. */
export function checkCompose(run: ComposeRun) {
  return action('check compose files', [`parse ${run.project.files.join(', ')} and stop with file:line if one is broken`], async () =>
    assertComposeFiles(run.project.files),
  );
}

export function composeCmd(run: ComposeRun, args: readonly string[], extra: Omit<CmdStep, 'kind' | 'argv' | 'cwd' | 'env'> = {}): CmdStep {
  return cmd(composeArgv(run.flavor, run.project, args), { cwd: run.project.projectDirectory, env: run.env, ...extra });
}

/** Compose variables for the chosen images and the published port (host port = app port unless set). */
export function composeEnv(images: Images, values: Readonly<Record<string, string>>, extra: Record<string, string> = {}): Record<string, string> {
  const port = values.APP_PORT ?? '8000';
  return { ...images, APP_HOST_PORT: values.APP_HOST_PORT ?? port, ...extra };
}
