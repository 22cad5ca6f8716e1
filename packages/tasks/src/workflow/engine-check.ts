/**
 * The engine check the docker tasks share: a step that fails the run, not the plan, so --dry-run still prints on a
 * machine without Docker.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import type { DockerFacts } from '../facts/facts.ts';
import { silentDaemonError } from '../facts/silent-daemon.ts';
import { action } from '../model/steps.ts';

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
    if (!docker.daemon.ok && docker.daemon.silent) throw silentDaemonError(docker.daemon);
    if (!docker.daemon.ok) {
      throw new TaskError(
        ErrorCode.dockerUnavailable,
        `the Docker daemon does not answer at ${docker.daemon.host} (${docker.daemon.error}). Fix: start it (systemctl start docker, or dockerd in the background) and check that you may use its socket; \`task doctor\` checks the machine. Nothing was changed.`,
      );
    }
  });
}
