/** Plan pieces the docker tasks share: the chosen client, the BuildKit guard, the compose project and its env. */
import path from 'node:path';
import { chooseClient, type DockerClient } from '../docker/client.ts';
import { type ComposeFlavor, type ComposeProject, composeArgv, detectCompose } from '../docker/compose.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { action, type CmdStep, cmd } from '../model/steps.ts';
import type { PlanContext } from '../model/task.ts';
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

/** Fails the run (not the plan, so --dry-run still prints) when no client can run a BuildKit build. */
export function requireBuildkit(setup: DockerSetup) {
  return action('check BuildKit', ['check that the docker client can run a BuildKit build'], async () => {
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

export function composeCmd(run: ComposeRun, args: readonly string[], extra: Omit<CmdStep, 'kind' | 'argv' | 'cwd' | 'env'> = {}): CmdStep {
  return cmd(composeArgv(run.flavor, run.project, args), { cwd: run.project.projectDirectory, env: run.env, ...extra });
}

/** Compose variables for the chosen images and the published port (host port = app port unless set). */
export function composeEnv(images: Images, values: Readonly<Record<string, string>>, extra: Record<string, string> = {}): Record<string, string> {
  const port = values.APP_PORT ?? '8000';
  return { ...images, APP_HOST_PORT: values.APP_HOST_PORT ?? port, ...extra };
}
