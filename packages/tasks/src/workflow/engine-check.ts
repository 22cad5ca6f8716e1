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
  // A --dry-run plans from the same facts: when they already say the run would stop here, the plan says so on top of
  // the steps below, which were planned for an engine that could not be asked (no image found, every build due).
  const verdict = !docker.chosen
    ? 'no working docker client was found'
    : !docker.chosen.buildkit.ok
      ? `BuildKit is not usable (${docker.chosen.buildkit.why})`
      : !docker.daemon.ok
        ? `the Docker daemon at ${docker.daemon.host} did not answer (${docker.daemon.error})`
        : undefined;
  const describe = ['check that the Docker daemon answers and the docker client can run a BuildKit build'];
  if (verdict) describe.push(`NOT MET when planned: ${verdict}; a run stops here, and the steps below assume an engine that could not be asked`);
  return action('check the Docker engine', describe, () => {
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
