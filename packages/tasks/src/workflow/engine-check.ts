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
  const stop = engineStop(docker);
  // A --dry-run plans from the same facts: when they already say the run would stop here, the plan says so on top of
  // the steps below, which were planned for an engine that could not be asked (no image found, every build due).
  const describe = ['check that the Docker daemon answers and the docker client can run a BuildKit build'];
  if (stop) describe.push(`NOT MET when planned: ${stop.verdict}; a run stops here, and the steps below assume an engine that could not be asked`);
  return action('check the Docker engine', describe, () => {
    if (stop) throw stop.error();
  });
}

/** Why the facts say a run cannot use the engine (a short verdict for the plan, the full error for the run), if so. */
function engineStop(docker: DockerFacts): { verdict: string; error: () => TaskError } | undefined {
  const c = docker.chosen;
  if (!c) {
    return {
      verdict: 'no working docker client was found',
      error: () =>
        new TaskError(
          ErrorCode.dockerUnavailable,
          'no working docker client found on PATH. Fix: install Docker (Debian: apt-get install docker.io), or set DOCKER=/path/to/docker; `task doctor` checks the machine.',
        ),
    };
  }
  if (!c.buildkit.ok) {
    const why = c.buildkit.why;
    return {
      verdict: `BuildKit is not usable (${why})`,
      error: () =>
        new TaskError(
          ErrorCode.dockerUnavailable,
          `BuildKit is not usable: ${why}. Fix: install the buildx plugin, or set DOCKER to a client with BuildKit built in (such as /usr/bin/docker from Debian's docker.io); \`task doctor\` shows every client found.`,
        ),
    };
  }
  const daemon = docker.daemon;
  if (daemon.ok) return undefined;
  return {
    verdict: `the Docker daemon at ${daemon.host} did not answer (${daemon.error})`,
    error: () =>
      daemon.silent
        ? silentDaemonError(daemon)
        : new TaskError(
            ErrorCode.dockerUnavailable,
            `the Docker daemon does not answer at ${daemon.host} (${daemon.error}). Fix: start it (systemctl start docker, or dockerd in the background) and check that you may use its socket; \`task doctor\` checks the machine. Nothing was changed.`,
          ),
  };
}
