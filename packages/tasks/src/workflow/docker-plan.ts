/** Plan pieces the docker tasks share: the chosen client, the BuildKit guard and the compose command. */
import { chooseClient, type DockerClient } from '../docker/client.ts';
import { type ComposeFlavor, composeArgv, detectCompose } from '../docker/compose.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { action } from '../model/steps.ts';
import type { PlanContext } from '../model/task.ts';

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

export async function composeFor(ctx: PlanContext, setup: DockerSetup): Promise<Pick<ComposeFlavor, 'kind' | 'argv'>> {
  // When nothing answers, plan with v2's spelling; the run fails with doctor's advice.
  return (await detectCompose(setup.bin, ctx.cwd)) ?? { kind: 'v2', argv: [setup.bin, 'compose'] };
}

export { composeArgv };
